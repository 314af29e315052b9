"""The workflow engine: states, transitions declared as data, and the one function that applies them.

A module declares its workflow next to its model (in `<app>/workflows.py`, discovered at start-up):

    class Status(models.TextChoices):
        PROPOSED = "proposed", "proposée"
        APPROVED = "approved", "validée"

    WORKFLOW = Workflow(
        "myapp.Thing",
        transitions=[
            Transition(name="approve", source=[Status.PROPOSED], target=Status.APPROVED,
                       label="Valider", roles={Role.PILOTAGE}),
        ],
    )

and every state change goes through `apply_transition(obj, "approve", user, comment="…")`, which
checks, in a transaction on the locked row, that the user may act on the record, that their role
may take this transition, that it is legal from the current state and that its guard passes; then
sets the state through `relais.core.records.update` (version bump, change history, search index),
writes a `TransitionLog` row and an `Action.TRANSITION` audit event, and notifies (after commit).
A refusal raises `TransitionRefused` (or its subclasses) carrying a French message and the names of
the transitions the user may take now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from relais.accounts.roles import Role
from relais.core.audit.events import Action, log_event
from relais.core.records import StaleVersion, update

__all__ = [
    "CommentRequired",
    "FieldRequired",
    "Transition",
    "TransitionForbidden",
    "TransitionRefused",
    "Workflow",
    "allowed_transitions",
    "apply_transition",
    "history",
    "workflow_for",
]


class TransitionRefused(Exception):
    """A transition that cannot be applied now. `status` is the HTTP answer the API gives."""

    status = 409

    def __init__(self, message: str, allowed: Iterable[str] = (), *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.allowed = list(allowed)
        self.field = field


class TransitionForbidden(TransitionRefused):
    """The user may see the record but neither their role nor their rights allow this transition."""

    status = 403


class CommentRequired(TransitionRefused):
    """The transition needs a comment (a refusal, a cancellation…) and none was given."""

    status = 400

    def __init__(self, message: str, allowed: Iterable[str] = ()):
        super().__init__(message, allowed, field="comment")


class FieldRequired(TransitionRefused):
    """One of the transition's `required_fields` is empty."""

    status = 400


@dataclass(frozen=True)
class Transition:
    """One transition, declared as data.

    - `source`: the states it may start from; `target`: the state it leads to.
    - `roles`: the roles that may take it (empty: any role the workflow's permission lets act).
    - `guard(obj, user) -> str | None`: a message when the record is not ready, else None. It
      runs on the record as it stands for the panel, the API's `allowed_transitions` and
      `Workflow.check` (a button is offered only when the guard passes), then again once the
      transition's `fields` are set: it checks those fields only when they are filled in.
    - `required_fields`: those of `fields` the user must fill in (refused per field when empty).
    - `notify(obj) -> users`: who to tell (the workflow's `notify` when None).
    - `comment_required`: a comment must explain it (refusals, cancellations).
    - `fields`: model fields the user fills in with the transition (e.g. an end date), passed to
      `apply_transition` as keyword arguments and set on the record before the guard runs.
    """

    name: str
    source: Iterable[str]
    target: str
    label: str
    roles: Iterable[str] = frozenset()
    guard: Callable | None = None
    notify: Callable | None = None
    comment_required: bool = False
    fields: Iterable[str] = ()
    required_fields: Iterable[str] = ()
    description: str = ""
    #: DSFR button variant on the panel: "primary", "secondary" or "tertiary".
    button: str = "primary"

    def __post_init__(self):
        object.__setattr__(self, "source", tuple(str(s) for s in self.source))
        object.__setattr__(self, "target", str(self.target))
        object.__setattr__(self, "roles", frozenset(str(r) for r in self.roles))
        object.__setattr__(self, "fields", tuple(self.fields))
        object.__setattr__(self, "required_fields", tuple(self.required_fields))
        if not set(self.required_fields) <= set(self.fields):
            raise ValueError(f"Transition {self.name} : required_fields hors de fields.")

    def allows_role(self, user) -> bool:
        if not self.roles:
            return True
        if user.role in self.roles:
            return True
        return Role.ADMINISTRATEUR in self.roles and bool(getattr(user, "is_administrator", False))


_registry: dict[str, Workflow] = {}


def _label_lower(model) -> str:
    if isinstance(model, str):
        return model.lower()
    return model._meta.label_lower


class Workflow:
    """The states and transitions of one model, registered by model so that generic views, the API
    and `apply_transition` find them.

    - `model`: the model class or its label ("app.Model"; a label avoids import cycles when the
      states are declared in the same module and imported by models.py).
    - `field`: the state field (a CharField with `choices=States.choices`).
    - `permission(obj, user) -> bool`: who may act on a record at all; default `obj.can_change(user)`.
      Transitions then narrow it by role.
    - `notify(obj) -> users`: default recipients of transition notifications.
    - `url(obj) -> str`: link put in notifications; default `get_absolute_url()` or the workflow page.
    - `transition_url_name` / `page_url_name`: URL names of the generic views (kwargs pk and
      transition / pk), used by the panel and by notifications.
    - `badges`: DSFR badge variant per state ("success", "info", "warning", "error", "new").
    - `comments_with_record_only`: transition comments may carry the record's content (mission a's
      reports): the comment is kept in the `TransitionLog` row only, which is deleted with the
      record (purge, set-aside); the audit event records that there was a comment, not its text,
      and the notification sends the reader to the record instead of quoting it.
    """

    def __init__(
        self,
        model,
        *,
        transitions: Iterable[Transition],
        field: str = "status",
        permission: Callable | None = None,
        notify: Callable | None = None,
        url: Callable | None = None,
        transition_url_name: str = "",
        page_url_name: str = "",
        badges: dict | None = None,
        comments_with_record_only: bool = False,
    ):
        self._model = model
        self.label = _label_lower(model)
        self.field = field
        self.transitions = list(transitions)
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"Workflow {self.label} : noms de transitions en double.")
        self.permission = permission
        self.notify = notify
        self.url = url
        self.transition_url_name = transition_url_name
        self.page_url_name = page_url_name
        self.badges = {str(k): v for k, v in (badges or {}).items()}
        self.comments_with_record_only = comments_with_record_only
        _registry[self.label] = self

    def __repr__(self):
        return f"<Workflow {self.label}.{self.field}: {len(self.transitions)} transitions>"

    @property
    def model(self) -> type[models.Model]:
        if isinstance(self._model, str):
            return apps.get_model(self._model)
        return self._model

    # --- States -----------------------------------------------------------------------------

    def state_of(self, obj) -> str:
        return getattr(obj, self.field)

    def state_label(self, value: str) -> str:
        choices = dict(self.model._meta.get_field(self.field).flatchoices)
        return str(choices.get(value, value))

    def badge(self, value: str) -> str:
        return self.badges.get(str(value), "info")

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    # --- Who may do what --------------------------------------------------------------------

    def may_act(self, obj, user) -> bool:
        """Whether `user` may move this record at all (before roles and states)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if getattr(user, "is_read_only", False):
            return False
        if self.permission is not None:
            return bool(self.permission(obj, user))
        return bool(obj.can_change(user))

    @staticmethod
    def refusal(transition: Transition, obj, user) -> str | None:
        """The guard's message for `obj` as it stands, None when the guard passes (or is none)."""
        if transition.guard is None:
            return None
        message = transition.guard(obj, user)
        return str(message) if message else None

    def allowed(self, obj, user) -> list[Transition]:
        """The transitions the server accepts from `user` now: legal from the record's state,
        open to their role, and whose guard passes on the record as it stands. The panel offers
        exactly these (a button is shown only when the click would be accepted)."""
        if not self.may_act(obj, user):
            return []
        state = self.state_of(obj)
        return [
            t
            for t in self.transitions
            if state in t.source and t.allows_role(user) and self.refusal(t, obj, user) is None
        ]

    def check_role(self, obj, user, transitions: list[Transition]) -> None:
        """Who before when: raise `TransitionForbidden` (403) unless `user` may move `obj` at
        all and their role may take one of `transitions` — whatever the record's state, so that
        a read-only user or a wrong role is told so, not that the state does not allow it."""
        if not self.may_act(obj, user):
            raise TransitionForbidden(
                "Vous pouvez consulter cet enregistrement, mais pas faire évoluer son état.", []
            )
        if transitions and not any(t.allows_role(user) for t in transitions):
            labels = " / ".join(dict.fromkeys(f"« {t.label} »" for t in transitions))
            raise TransitionForbidden(
                f"Votre rôle ({user.get_role_display()}) ne permet pas l'action {labels}.",
                [t.name for t in self.allowed(obj, user)],
            )

    def check(self, obj, user, name: str) -> Transition:
        """Raise `TransitionForbidden` / `TransitionRefused` unless `user` may take `name` now
        (permission, role, state, then the guard on the record as it stands).

        Required fields, comments and the guard on the input are checked by `apply_transition`.
        """
        verbose = obj._meta.verbose_name
        transition = self.transition(name)
        allowed = [t.name for t in self.allowed(obj, user)]
        if transition is None:
            raise TransitionRefused(
                f"L'action « {name} » n'existe pas pour un(e) {verbose}.", allowed
            )
        self.check_role(obj, user, [transition])
        state = self.state_of(obj)
        if state not in transition.source:
            labels = [self.transition(n).label for n in allowed]
            possible = (
                "Actions possibles : " + ", ".join(f"« {label} »" for label in labels) + "."
                if labels
                else "Aucune action n'est possible dans cet état."
            )
            raise TransitionRefused(
                f"L'action « {transition.label} » n'est pas possible : l'enregistrement est à "
                f"l'état « {self.state_label(state)} ». {possible}",
                allowed,
            )
        message = self.refusal(transition, obj, user)
        if message:
            raise TransitionRefused(message, allowed)
        return transition

    @staticmethod
    def missing_fields(transition: Transition, obj) -> list[str]:
        """The transition's required fields still empty on `obj`."""
        return [name for name in transition.required_fields if getattr(obj, name) in (None, "", [])]

    # --- Links and recipients ---------------------------------------------------------------

    def _reverse(self, name: str, **kwargs) -> str:
        if not name:
            return ""
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return ""

    def transition_url(self, obj, name: str) -> str:
        return self._reverse(self.transition_url_name, pk=obj.pk, transition=name)

    def page_url(self, obj) -> str:
        return self._reverse(self.page_url_name, pk=obj.pk)

    def record_url(self, obj) -> str:
        """The link notifications carry."""
        if self.url is not None:
            return self.url(obj) or ""
        if hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return self.page_url(obj)

    def recipients(self, transition: Transition, obj) -> list:
        fn = transition.notify or self.notify
        return list(fn(obj)) if fn is not None else []


def workflow_for(model_or_obj) -> Workflow:
    """The workflow of a model (class, instance or "app.Model" label); LookupError if none."""
    label = (
        model_or_obj.lower() if isinstance(model_or_obj, str) else model_or_obj._meta.label_lower
    )
    try:
        return _registry[label]
    except KeyError:
        raise LookupError(f"Aucun circuit déclaré pour {label}.") from None


def registered_workflows() -> list[Workflow]:
    return list(_registry.values())


def allowed_transitions(obj, user) -> list[Transition]:
    """The transitions `user` may take on `obj` now (state, permission, role and guard)."""
    return workflow_for(obj).allowed(obj, user)


def history(obj) -> list:
    """The transition log of `obj`, oldest first, actors loaded: one query."""
    from relais.core.workflow.models import TransitionLog

    workflow = workflow_for(obj)
    entries = list(TransitionLog.objects.for_object(obj))
    for entry in entries:
        transition = workflow.transition(entry.transition)
        entry.transition_label = transition.label if transition else entry.transition
        entry.from_label = workflow.state_label(entry.from_state)
        entry.to_label = workflow.state_label(entry.to_state)
    return entries


def _visible_recipients(model, obj, users, actor) -> list:
    """Active users other than the actor who can see the record (`visible_to`)."""
    seen, result = set(), []
    manager = model._default_manager
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if actor is not None and user.pk == actor.pk:
            continue
        if (
            hasattr(manager, "visible_to")
            and not manager.visible_to(user).filter(pk=obj.pk).exists()
        ):
            continue
        result.append(user)
    return result


def apply_transition(
    obj: models.Model,
    name: str,
    user,
    comment: str = "",
    *,
    expected_version: int | None = None,
    **extra,
):
    """Apply transition `name` to `obj` on behalf of `user`; return the `TransitionLog` row.

    `extra` holds values of the fields the transition declares (`Transition.fields`), set on the
    record before the guard runs. `expected_version` (the version the form showed) refuses a
    stale request with `StaleVersion`. Refusals raise `TransitionRefused` (409),
    `TransitionForbidden` (403) or `CommentRequired` (400), all carrying the allowed names.
    On success `obj` is refreshed in memory (state, version and the extra fields).
    """
    from relais.core.notifications.kinds import NotificationKind
    from relais.core.notifications.services import notify
    from relais.core.workflow.models import TransitionLog

    workflow = workflow_for(obj)
    model = workflow.model
    comment = (comment or "").strip()
    with transaction.atomic():
        manager = model._default_manager
        if (
            hasattr(manager, "visible_to")
            and not manager.visible_to(user).filter(pk=obj.pk).exists()
        ):
            raise Http404("Aucun enregistrement ne correspond à cette adresse.")
        current = manager.select_for_update().get(pk=obj.pk)
        if expected_version is not None and getattr(current, "version", None) != expected_version:
            raise StaleVersion(current, expected_version)
        transition = workflow.check(current, user, name)
        allowed = [t.name for t in workflow.allowed(current, user)]
        unknown = set(extra) - set(transition.fields)
        if unknown:
            raise ValueError(
                f"Champs non déclarés pour la transition {name} : {', '.join(sorted(unknown))}"
            )
        if transition.comment_required and not comment:
            raise CommentRequired(
                f"Un commentaire est obligatoire pour l'action « {transition.label} ».", allowed
            )
        for key, value in extra.items():
            setattr(current, key, value)
        missing = workflow.missing_fields(transition, current)
        if missing:
            labels = [str(model._meta.get_field(f).verbose_name) for f in missing]
            raise FieldRequired(
                "À renseigner pour cette étape : " + ", ".join(labels) + ".",
                allowed,
                field=missing[0],
            )
        if transition.guard is not None:
            message = transition.guard(current, user)
            if message:
                raise TransitionRefused(str(message), allowed)

        from_state = workflow.state_of(current)
        setattr(current, workflow.field, transition.target)
        update(current, user, check_permission=False)
        now = timezone.now()
        actor_name = (user.get_full_name() or user.get_username()) if user else ""
        log = TransitionLog.objects.create(
            model=current._meta.label_lower,
            object_id=str(current.pk),
            transition=transition.name,
            from_state=from_state,
            to_state=transition.target,
            actor=user,
            actor_name=actor_name,
            timestamp=now,
            comment=comment,
        )
        private = workflow.comments_with_record_only
        log_event(
            Action.TRANSITION,
            user,
            current,
            changes={workflow.field: [from_state, transition.target]},
            extra={
                "transition": transition.name,
                "from": from_state,
                "to": transition.target,
                **({"commented": bool(comment)} if private else {"comment": comment}),
            },
        )

        recipients = _visible_recipients(
            model, current, workflow.recipients(transition, current), user
        )
        if recipients:
            from_label = workflow.state_label(from_state)
            to_label = workflow.state_label(transition.target)
            title = f"{str(current._meta.verbose_name).capitalize()} « {current} » : {to_label}"
            body = (
                f"{actor_name} a appliqué l'action « {transition.label} » "
                f"({from_label} → {to_label}) le {timezone.localtime(now):%d/%m/%Y à %H:%M}."
            )
            if comment and private:
                body += (
                    "\nUn commentaire accompagne cette action : consultez-le en suivant le lien."
                )
            elif comment:
                body += f"\nCommentaire : {comment}"
            url = workflow.record_url(current)
            key = f"transition:{log.pk}"
            transaction.on_commit(
                lambda: notify(recipients, NotificationKind.TRANSITION, title, body, url, key=key)
            )

    # Keep the caller's instance in step with the database.
    for attr in (workflow.field, "version", "updated_by_id", "updated_at", *transition.fields):
        if hasattr(current, attr):
            setattr(obj, attr, getattr(current, attr))
    return log
