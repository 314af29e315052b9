"""`edit_record`: the edit page every module reuses (scope, permission, locking, audit, history).

    def partner_edit(request, pk):
        return edit_record(
            request,
            PartnerBody,
            {"pk": pk},
            form_class=PartnerBodyForm,
            template_name="referential/edit_form.html",
            success_url=lambda partner: reverse("referential:partner-detail", args=[partner.pk]),
        )

1. the record is fetched with `get_visible_or_404` (404 out of scope);
2. `require_change` answers 403 to a user who may see it but not change it;
3. the `RecordForm` is shown with the record's version; on POST it saves through
   `relais.core.records.update` (a stale version re-renders the form with the user's input and an
   error, nothing is overwritten);
4. success: a message and a redirect to `success_url(obj)` (default: the page itself).

`breadcrumb_factory(obj)` returns the breadcrumb (list of (label, url or None)). The template
receives `form`, `object`, `title`, `breadcrumb`, `page_marking` (the record's marking, for the
banner), `history` (see `relais.core.audit.history`) and `cancel_url`.
"""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render

from relais.core.access import get_visible_or_404, require_change
from relais.core.audit.history import history_for


def edit_record(
    request,
    model_or_qs,
    lookup: dict,
    *,
    form_class,
    template_name: str,
    success_url: Callable | None = None,
    title: str | None = None,
    breadcrumb_factory: Callable | None = None,
    extra_context: dict | None = None,
    success_message: str = "Les modifications de « {obj} » sont enregistrées.",
):
    """Show and save the edit form of one record (see the module docstring)."""
    obj = get_visible_or_404(model_or_qs, request.user, **lookup)
    require_change(request.user, obj)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES or None, instance=obj, user=request.user)
        if form.is_valid() and form.save() is not None:
            messages.success(request, success_message.format(obj=obj))
            return redirect(success_url(obj) if success_url else request.get_full_path())
    else:
        form = form_class(instance=obj, user=request.user)
    # After a failed POST the instance holds the user's input: show the saved record instead.
    saved = (type(obj)._default_manager.filter(pk=obj.pk).first() or obj) if form.is_bound else obj
    cancel_url = success_url(saved) if success_url else request.get_full_path()
    context = {
        "form": form,
        "object": saved,
        "title": title or f"Modifier « {saved} »",
        "breadcrumb": (
            breadcrumb_factory(saved)
            if breadcrumb_factory
            else [(str(saved), cancel_url), ("Modifier", None)]
        ),
        "page_marking": saved.marking if hasattr(saved, "marking") else "",
        "history": history_for(saved, request.user),
        "cancel_url": cancel_url,
        **(extra_context or {}),
    }
    return render(request, template_name, context)
