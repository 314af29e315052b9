"""Generic workflow views, wired by each module with one URL pattern each:

    path("affectations/<int:pk>/circuit/", workflow_page, {"model": Assignment}, name="…-workflow"),
    path("affectations/<int:pk>/circuit/<slug:transition>/", transition_view,
         {"model": Assignment}, name="…-transition"),

`transition_view` (POST) applies a transition and returns to the page named by `next`; a refusal
comes back as a DSFR error message. `panel_context` builds what `workflow/_panel.html` shows.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from relais.core.access import get_visible_or_404
from relais.core.kept_input import keep_post, kept_input
from relais.core.records import StaleVersion
from relais.core.workflow.engine import (
    TransitionForbidden,
    TransitionRefused,
    apply_transition,
    history,
    workflow_for,
)
from relais.core.workflow.forms import TransitionForm


def panel_context(obj, user, *, next_url: str = "") -> dict:
    """The state badge, the history and the forms of the transitions `user` may take."""
    workflow = workflow_for(obj)
    state = workflow.state_of(obj)
    actions = []
    kept = kept_input()
    for transition in workflow.allowed(obj, user):
        url = workflow.transition_url(obj, transition.name)
        if not url:
            continue
        if kept is not None and kept.form == transition.name:
            # The same transition was refused a moment ago: its form again, filled in, with the
            # errors next to it.
            form = TransitionForm(transition, obj, data=kept.data)
            form.is_valid()
            for name, errors in kept.errors.items():
                name = name if name in form.fields else None
                shown = form.errors.get(name or "__all__", [])
                for error in errors:
                    if error not in shown:  # one message per error
                        form.add_error(name, error)
        else:
            form = TransitionForm(transition, obj)
        actions.append({"transition": transition, "url": url, "form": form})
    return {
        "workflow": workflow,
        "object": obj,
        "state": state,
        "state_label": workflow.state_label(state),
        "badge": workflow.badge(state),
        "history": history(obj),
        "actions": actions,
        "next": next_url,
        "version": getattr(obj, "version", ""),
    }


def _back(request, workflow, obj) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return workflow.page_url(obj) or workflow.record_url(obj) or "/"


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def workflow_page(request, pk, model):
    """A record's state, history and available transitions (for records without their own page,
    or as a dedicated tab)."""
    obj = get_visible_or_404(model, request.user, pk=pk)
    verbose = str(model._meta.verbose_name)
    return render(
        request,
        "workflow/page.html",
        {
            "title": f"{verbose.capitalize()} : {obj}",
            "object": obj,
            "verbose_name": verbose,
            "panel": panel_context(obj, request.user, next_url=request.get_full_path()),
            "page_marking": getattr(obj, "marking", ""),
            "breadcrumb": [
                (str(model._meta.verbose_name_plural).capitalize(), None),
                (str(obj), None),
            ],
        },
    )


def _refused(request, back, transition, errors):
    """Back to the page with the transition's form filled in again and its errors beside it."""
    errors = {name: [str(e) for e in messages_] for name, messages_ in errors.items()}
    keep_post(request, reason="transition", form=transition.name, errors=errors, page=back)
    messages.error(
        request,
        f"L'action « {transition.label} » n'a pas été effectuée : voir son formulaire ci-dessous.",
    )
    return redirect(back)


@require_POST
def transition_view(request, pk, transition, model):
    """Apply `transition` to the record `pk` of `model`, then go back to `next`."""
    obj = get_visible_or_404(model, request.user, pk=pk)
    workflow = workflow_for(model)
    back = _back(request, workflow, obj)
    declared = workflow.transition(transition)
    if declared is None:
        raise Http404("Cette action n'existe pas.")
    try:
        workflow.check(obj, request.user, transition)
    except TransitionForbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except TransitionRefused as exc:
        messages.error(request, exc.message)
        return redirect(back)
    form = TransitionForm(declared, obj, data=request.POST)
    if not form.is_valid():
        return _refused(request, back, declared, form.errors)
    try:
        apply_transition(
            obj,
            transition,
            request.user,
            form.cleaned_data["comment"],
            expected_version=_version(request),
            **form.extra_values(),
        )
    except TransitionForbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except TransitionRefused as exc:
        return _refused(request, back, declared, {exc.field or "__all__": [exc.message]})
    except StaleVersion as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _refused(request, back, declared, errors)
    else:
        messages.success(
            request,
            f"Action « {declared.label} » effectuée : l'état est désormais "
            f"« {workflow.state_label(workflow.state_of(obj))} ».",
        )
    return redirect(back)
