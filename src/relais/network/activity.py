"""What other apps hold about a post, read through their own querysets (never their tables):
today the technical cooperation actions the post follows or that concern its countries.

The `cooperation` app is optional for this one: when it is not installed (or its model does not
offer what is read here), the post page simply shows no cooperation block.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

#: Actions shown on a post page (the count covers them all).
ACTIONS_SHOWN = 10


@dataclass(frozen=True)
class ActionLine:
    label: str
    url: str
    detail: str


@dataclass(frozen=True)
class CooperationActivity:
    count: int
    actions: list[ActionLine]
    list_url: str


def _action_model():
    if not apps.is_installed("relais.cooperation"):
        return None
    try:
        return apps.get_model("cooperation", "CooperationAction")
    except LookupError:
        return None


def cooperation_activity(post, user) -> CooperationActivity | None:
    """The cooperation actions `user` may see that the post follows or that concern one of its
    countries (two queries), or None when the cooperation app is not there."""
    model = _action_model()
    if model is None or not hasattr(model.objects, "visible_to"):
        return None
    try:
        actions = model.objects.visible_to(user).filter(
            Q(post=post) | Q(country__in=post.countries.all())
        )
        count = actions.count()
        shown = list(
            actions.select_related("country").order_by("-planned_start", "-pk")[:ACTIONS_SHOWN]
        )
    except FieldError:
        return None
    lines = []
    for action in shown:
        parts = [str(action.country)] if getattr(action, "country_id", None) else []
        if hasattr(action, "get_kind_display"):
            parts.append(action.get_kind_display())
        if hasattr(action, "get_status_display"):
            parts.append(action.get_status_display())
        if getattr(action, "planned_start", None):
            parts.append(f"à partir du {action.planned_start:%d/%m/%Y}")
        url = action.get_absolute_url() if hasattr(action, "get_absolute_url") else ""
        lines.append(ActionLine(str(action), url, ", ".join(parts)))
    try:
        list_url = f"{reverse('cooperation:actions')}?post={post.unit.code}"
    except NoReverseMatch:
        list_url = ""
    return CooperationActivity(count=count, actions=lines, list_url=list_url)
