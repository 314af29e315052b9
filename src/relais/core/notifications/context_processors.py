"""`unread_notifications` for the header: one COUNT query, only for signed-in users."""

from relais.core.notifications.models import Notification


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    }
