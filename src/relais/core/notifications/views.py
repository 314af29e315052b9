"""The inbox (/notifications/), marking as read, and e-mail preferences (« Mon compte »)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from relais.core.access import get_visible_or_404
from relais.core.notifications.kinds import all_kinds
from relais.core.notifications.models import Notification, NotificationPreference

PAGE_SIZE = 30


def inbox(request):
    notifications = Notification.objects.visible_to(request.user).inbox_order()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"title": "Notifications", "page": page, "breadcrumb": [("Notifications", None)]},
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def mark_read(request, pk):
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    Notification.objects.filter(pk=notification.pk).mark_read()
    return redirect(_back(request, reverse("notifications:inbox")))


@require_POST
def mark_all_read(request):
    count = Notification.objects.visible_to(request.user).mark_read()
    messages.success(
        request,
        f"{count} notification(s) marquée(s) comme lue(s)." if count else "Tout était déjà lu.",
    )
    return redirect(reverse("notifications:inbox"))


@require_POST
def preferences(request):
    """Save the e-mail choice of every kind: a ticked box means « also by e-mail »."""
    chosen = set(request.POST.getlist("email"))
    for kind in all_kinds():
        NotificationPreference.objects.update_or_create(
            user=request.user, kind=kind.code, defaults={"email": kind.code in chosen}
        )
    messages.success(request, "Vos préférences de notification sont enregistrées.")
    return redirect(reverse("accounts:account") + "#preferences-notifications")
