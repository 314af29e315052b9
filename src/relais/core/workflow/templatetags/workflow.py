"""`{% load workflow %}{% workflow_panel record %}`: the workflow panel of a record."""

from django import template

from relais.core.workflow.views import panel_context

register = template.Library()


@register.inclusion_tag("workflow/_panel.html", takes_context=True)
def workflow_panel(context, obj):
    request = context["request"]
    return {
        "panel": panel_context(obj, request.user, next_url=request.get_full_path()),
        "csrf_token": context.get("csrf_token"),
    }
