"""`{% notification_preference_rows as rows %}`: the kinds with the user's e-mail choice."""

from django import template

from relais.core.notifications.kinds import all_kinds
from relais.core.notifications.models import NotificationPreference

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_preference_rows(context):
    user = context["request"].user
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [
        {
            "code": kind.code,
            "label": kind.label,
            "description": kind.description,
            "email": chosen.get(kind.code, kind.email_default),
        }
        for kind in all_kinds()
    ]
