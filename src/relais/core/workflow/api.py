"""The workflow endpoints of the API: one style for every workflow (docs/dev/workflow.md §4).

A module mounts them with one line in its `api_urls.py`:

    urlpatterns += workflow_api_urls(
        "agreements", AGREEMENT_WORKFLOW, basename="agreement", tag="Accords (mission k)"
    )

which gives, generated from the declared `Workflow`:

    GET  /api/v1/<prefix>/<pk>/transitions/   the state, the transitions the caller may take now
                                              (name, label, target state, the fields each needs,
                                              typed) and the history
    POST /api/v1/<prefix>/<pk>/transitions/   {"transition": "<name>", "comment": "…",
                                              "version": 3, <the step's fields>}

The POST body is one serializer per workflow (`<Model>TransitionRequest` in the schema) with the
enum of the workflow's transition names (`<Model>TransitionEnum`) and every field a step may
fill in, typed from the model. Answers: 200 with the new state (same body as the GET), 400 naming
the field (unknown, not of this step, missing, invalid, comment required), 403 when the caller
may not (read-only, role), 404 out of scope, 409 when refused (state, guard; stale version).

The older endpoints (`…/<pk>/<transition>/` of `transition_api_urls`) keep answering, marked
deprecated in the schema, for one release.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.db import models
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from relais.core.access import get_visible_or_404
from relais.core.schema import ErrorSerializer, NamedChoiceField
from relais.core.serializers import StrictInputMixin, unknown_field_message
from relais.core.workflow.engine import (
    TransitionRefused,
    Workflow,
    apply_transition,
    history,
    workflow_for,
)
from relais.core.workflow.forms import TransitionForm

# --- Answers -------------------------------------------------------------------------------------


def refused_response(exc: TransitionRefused) -> Response:
    code = "transition_forbidden" if exc.status == 403 else "transition_refused"
    body = {"detail": exc.message, "code": code, "allowed_transitions": exc.allowed}
    if exc.field:
        body[exc.field] = [exc.message]
    return Response(body, status=exc.status)


class TransitionRefusedMixin:
    """For any DRF view or viewset: turn `TransitionRefused` into its HTTP answer."""

    def handle_exception(self, exc):
        if isinstance(exc, TransitionRefused):
            return refused_response(exc)
        return super().handle_exception(exc)


ERROR_RESPONSES = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="Champ inconnu, invalide, manquant ou étranger à cette étape (nommé dans la "
        "réponse) ; commentaire obligatoire.",
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="Votre rôle ou vos droits ne permettent pas cette action."
    ),
    404: OpenApiResponse(ErrorSerializer, description="Enregistrement hors de votre périmètre."),
    409: OpenApiResponse(
        ErrorSerializer,
        description="Refusé dans l'état actuel (`transition_refused`, avec "
        "`allowed_transitions`) ou version périmée (`stale_version`).",
    ),
}

# --- Typed description of a step's fields ---------------------------------------------------------

FIELD_TYPES = [
    ("string", "texte"),
    ("text", "texte long"),
    ("date", "date (AAAA-MM-JJ)"),
    ("integer", "entier"),
    ("decimal", "nombre décimal"),
    ("boolean", "booléen"),
    ("choice", "une valeur de `choices`"),
    ("list", "liste de codes"),
]


def _field_type(field: serializers.Field) -> str:
    if isinstance(field, serializers.ManyRelatedField | serializers.ListField):
        return "list"
    if isinstance(field, serializers.ChoiceField):
        return "choice"
    if isinstance(field, serializers.DateField):
        return "date"
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, serializers.IntegerField | serializers.RelatedField):
        return "integer"
    if isinstance(field, serializers.DecimalField | serializers.FloatField):
        return "decimal"
    if isinstance(field, serializers.CharField) and field.max_length is None:
        return "text"
    return "string"


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class TransitionFieldSerializer(serializers.Serializer):
    """A field a transition needs: its name in the POST body, label, type and choices."""

    name = serializers.CharField(help_text="Nom du champ dans le corps du POST.")
    label = serializers.CharField()
    type = NamedChoiceField(enum_name="TransitionFieldTypeEnum", choices=FIELD_TYPES)
    required = serializers.BooleanField(
        help_text="À donner avec la transition (l'enregistrement ne l'a pas encore)."
    )
    choices = ChoiceSerializer(many=True, required=False)


class WorkflowHistoryEntrySerializer(serializers.Serializer):
    transition = serializers.CharField()
    transition_label = serializers.CharField()
    # "from" is a Python keyword: declared below.
    to = serializers.CharField()
    actor = serializers.CharField()
    timestamp = serializers.DateTimeField()
    comment = serializers.CharField()


WorkflowHistoryEntrySerializer._declared_fields["from"] = serializers.CharField()


# --- One endpoint per workflow ---------------------------------------------------------------------


class WorkflowEndpoint:
    """What `workflow_api_urls` needs to know about one workflow's API.

    - `apply(obj, name, user, *, comment, expected_version, **values)`: how a transition is
      applied (default `apply_transition`; a module passes its service when a step does more).
    - `check(obj, user, name)`: the role and state check before the input is read (default the
      workflow's; a module whose service checks itself passes its own).
    - `extra_fields`: per transition name, unbound serializer fields that are not model fields
      (the units of a dissemination: `DisseminateSerializer._declared_fields["units"]`);
      `required=True` ones are required for that step.
    - `queryset(user)`: the records the caller may address (default `visible_to(user)`).
    """

    def __init__(
        self,
        workflow: Workflow,
        *,
        apply: Callable | None = None,
        check: Callable | None = None,
        extra_fields: dict[str, dict[str, serializers.Field]] | None = None,
        queryset: Callable | None = None,
    ):
        self.workflow = workflow
        self._apply = apply
        self._check = check
        self.extra_fields = extra_fields or {}
        self._queryset = queryset
        self._request_serializer = None
        self._state_serializer = None

    # --- naming ---
    @property
    def model(self) -> type[models.Model]:
        return self.workflow.model

    @property
    def prefix(self) -> str:
        return self.model.__name__

    # --- per-step field lists ---
    def step_fields(self, name: str) -> list[str]:
        transition = self.workflow.transition(name)
        return [*transition.fields, *self.extra_fields.get(name, {})]

    def required_fields(self, name: str) -> list[str]:
        transition = self.workflow.transition(name)
        extra = [f for f, field in self.extra_fields.get(name, {}).items() if field.required]
        return [*transition.required_fields, *extra]

    def all_step_fields(self) -> list[str]:
        names = [f for t in self.workflow.transitions for f in self.step_fields(t.name)]
        return list(dict.fromkeys(names))

    # --- serializers, built once per workflow ---
    def request_serializer(self) -> type[serializers.Serializer]:
        if self._request_serializer is not None:
            return self._request_serializer
        model_fields = list(dict.fromkeys(f for t in self.workflow.transitions for f in t.fields))
        attrs = {
            "transition": NamedChoiceField(
                enum_name=f"{self.prefix}TransitionEnum",
                choices=[(t.name, t.label) for t in self.workflow.transitions],
                help_text="La transition à appliquer (voir `GET …/transitions/`).",
            ),
            "comment": serializers.CharField(
                required=False,
                allow_blank=True,
                max_length=4000,
                default="",
                help_text="Commentaire (obligatoire pour certaines transitions).",
            ),
            "version": serializers.IntegerField(
                min_value=1,
                max_value=2**31 - 1,
                required=False,
                allow_null=True,
                help_text="Version lue ; refusée (409 `stale_version`) si périmée.",
            ),
        }
        for fields in self.extra_fields.values():
            for name, field in fields.items():
                if name not in attrs:  # optional here; `required_fields` says for which step
                    kwargs = {**copy.deepcopy(field._kwargs), "required": False}
                    kwargs.pop("default", None)
                    attrs[name] = type(field)(*field._args, **kwargs)
        meta = type(
            "Meta",
            (),
            {
                "model": self.model,
                "fields": [*attrs, *model_fields],
                "extra_kwargs": {name: {"required": False} for name in model_fields},
                "validators": [],
            },
        )
        self._request_serializer = type(
            f"{self.prefix}TransitionSerializer",
            (StrictInputMixin, serializers.ModelSerializer),
            {
                **attrs,
                "Meta": meta,
                "__doc__": f"Appliquer une transition du circuit « {self.model._meta.verbose_name} » "
                "(champs de l'étape : voir `GET …/transitions/`).",
            },
        )
        return self._request_serializer

    def state_serializer(self) -> type[serializers.Serializer]:
        if self._state_serializer is not None:
            return self._state_serializer
        field = self.workflow.field
        states = self.model._meta.get_field(field).choices
        transition_enum = f"{self.prefix}TransitionEnum"
        status_enum = f"{self.prefix}{field.capitalize()}Enum"
        transitions = [(t.name, t.label) for t in self.workflow.transitions]
        available = type(
            f"{self.prefix}AvailableTransitionSerializer",
            (serializers.Serializer,),
            {
                "name": NamedChoiceField(enum_name=transition_enum, choices=transitions),
                "label": serializers.CharField(),
                "target": NamedChoiceField(enum_name=status_enum, choices=states),
                "target_label": serializers.CharField(),
                "description": serializers.CharField(),
                "comment_required": serializers.BooleanField(),
                "fields": TransitionFieldSerializer(many=True),
            },
        )
        self._state_serializer = type(
            f"{self.prefix}WorkflowSerializer",
            (serializers.Serializer,),
            {
                "__doc__": "L'état d'un enregistrement, les transitions possibles, l'historique.",
                "id": serializers.IntegerField(),
                field: NamedChoiceField(enum_name=status_enum, choices=states),
                f"{field}_label": serializers.CharField(),
                "version": serializers.IntegerField(allow_null=True),
                "transitions": available(
                    many=True,
                    help_text="Transitions que vous pouvez appliquer maintenant (les conditions "
                    "sont vérifiées à l'application).",
                ),
                "allowed_transitions": serializers.ListField(
                    child=NamedChoiceField(enum_name=transition_enum, choices=transitions),
                    help_text="Les noms de `transitions`.",
                ),
                "allowed_states": serializers.ListField(
                    child=NamedChoiceField(enum_name=status_enum, choices=states),
                    help_text="États atteignables maintenant (déprécié : voir `transitions`).",
                ),
                "history": WorkflowHistoryEntrySerializer(many=True),
            },
        )
        return self._state_serializer

    # --- behaviour ---
    def queryset(self, user):
        if self._queryset is not None:
            return self._queryset(user)
        return self.model._default_manager.visible_to(user)

    def check(self, obj, user, name):
        if self._check is not None:
            return self._check(obj, user, name)
        return self.workflow.check(obj, user, name)

    def apply(self, obj, name, user, *, comment, expected_version, **values):
        if self._apply is not None:
            return self._apply(
                obj, name, user, comment=comment, expected_version=expected_version, **values
            )
        return apply_transition(
            obj, name, user, comment, expected_version=expected_version, **values
        )

    def describe_fields(self, obj, name: str) -> list[dict]:
        serializer = self.request_serializer()()
        required = set(self.required_fields(name))
        rows = []
        for field_name in self.step_fields(name):
            field = serializer.fields[field_name]
            row = {
                "name": field_name,
                "label": str(field.label or field_name),
                "type": _field_type(field),
                "required": field_name in required
                and getattr(obj, field_name, None) in (None, "", []),
            }
            if isinstance(field, serializers.ChoiceField) and not isinstance(
                field, serializers.ManyRelatedField
            ):
                row["choices"] = [
                    {"value": str(value), "label": str(label)}
                    for value, label in field.choices.items()
                    if value not in ("", None)
                ]
            rows.append(row)
        return rows

    def payload(self, obj, user) -> dict:
        workflow = self.workflow
        state = workflow.state_of(obj)
        allowed = workflow.allowed(obj, user)
        return {
            "id": obj.pk,
            workflow.field: state,
            f"{workflow.field}_label": workflow.state_label(state),
            "version": getattr(obj, "version", None),
            "transitions": [
                {
                    "name": t.name,
                    "label": t.label,
                    "target": t.target,
                    "target_label": workflow.state_label(t.target),
                    "description": t.description,
                    "comment_required": t.comment_required,
                    "fields": self.describe_fields(obj, t.name),
                }
                for t in allowed
            ],
            "allowed_transitions": [t.name for t in allowed],
            "allowed_states": list(dict.fromkeys(t.target for t in allowed)),
            "history": [
                {
                    "transition": entry.transition,
                    "transition_label": entry.transition_label,
                    "from": entry.from_state,
                    "to": entry.to_state,
                    "actor": entry.actor_name,
                    "timestamp": entry.timestamp,
                    "comment": entry.comment,
                }
                for entry in history(obj)
            ],
        }

    def post(self, obj, request) -> Response:
        """Validate and apply the transition of `request`; the new state, or raise."""
        serializer = self.request_serializer()(data=request.data)
        # The transition's name first: the role and the state are checked before the input.
        name = request.data.get("transition") if isinstance(request.data, dict) else None
        if not isinstance(name, str) or self.workflow.transition(name) is None:
            serializer.is_valid(raise_exception=True)
        transition = self.workflow.transition(name)
        self.check(obj, request.user, name)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        step = self.step_fields(name)
        errors = {
            field: [f"Ce champ ne se renseigne pas avec l'action « {transition.label} »."]
            for field in self.all_step_fields()
            if field in request.data and field not in step
        }
        values = {field: data[field] for field in step if field in data}
        for field in self.required_fields(name):
            if values.get(field) in (None, "", []) and getattr(obj, field, None) in (None, "", []):
                errors[field] = [f"Obligatoire pour l'action « {transition.label} »."]
        if errors:
            raise serializers.ValidationError(errors)
        self.apply(
            obj,
            name,
            request.user,
            comment=data.get("comment") or "",
            expected_version=data.get("version"),
            **values,
        )
        fresh = self.queryset(request.user).filter(pk=obj.pk).first() or obj
        return Response(self.payload(fresh, request.user), status=status.HTTP_200_OK)


_endpoints: dict[str, WorkflowEndpoint] = {}


def _copy(method):
    """A new function object (`extend_schema` marks the function it decorates)."""

    def wrapper(self, *args, **kwargs):
        return method(self, *args, **kwargs)

    wrapper.__name__ = method.__name__
    return wrapper


def registered_endpoints() -> list[WorkflowEndpoint]:
    return list(_endpoints.values())


class WorkflowAPIView(TransitionRefusedMixin, APIView):
    """`GET` the transitions the caller may take, `POST` one of them."""

    endpoint: WorkflowEndpoint = None

    def get_object(self, pk):
        return get_visible_or_404(self.endpoint.model, self.request.user, pk=pk)

    def get(self, request, pk):
        obj = self.get_object(pk)
        return Response(self.endpoint.payload(obj, request.user))

    def post(self, request, pk):
        return self.endpoint.post(self.get_object(pk), request)


def workflow_api_urls(
    prefix: str,
    workflow: Workflow | WorkflowEndpoint,
    *,
    basename: str,
    tag: str,
    legacy: bool = False,
) -> list:
    """The workflow endpoint of `workflow` under `prefix` (named `<basename>-transitions`), and
    with `legacy=True` the deprecated `…/<pk>/<transition>/` aliases (`<basename>-transition`)."""
    endpoint = workflow if isinstance(workflow, WorkflowEndpoint) else WorkflowEndpoint(workflow)
    _endpoints[endpoint.workflow.label] = endpoint
    operation = basename.replace("-", "_")
    state = endpoint.state_serializer()
    view = type(
        f"{endpoint.prefix}WorkflowAPIView",
        (WorkflowAPIView,),
        {
            "endpoint": endpoint,
            "get": extend_schema(
                operation_id=f"{operation}_transitions_list",
                summary="Transitions possibles, état et historique",
                description="Les transitions que vous pouvez appliquer maintenant, chacune avec "
                "son nom, son libellé, l'état visé et les champs qu'elle demande (typés).",
                responses={200: state, 403: ERROR_RESPONSES[403], 404: ERROR_RESPONSES[404]},
                tags=[tag],
            )(_copy(WorkflowAPIView.get)),
            "post": extend_schema(
                operation_id=f"{operation}_transitions_apply",
                summary="Appliquer une transition",
                description="Corps : `transition` (nom), `comment`, `version` et les champs de "
                "l'étape (voir `GET`). Réponse : le nouvel état, comme le `GET`.",
                request=endpoint.request_serializer(),
                responses={200: state, **ERROR_RESPONSES},
                tags=[tag],
            )(_copy(WorkflowAPIView.post)),
        },
    )
    urls = [
        path(f"{prefix}/<int:pk>/transitions/", view.as_view(), name=f"{basename}-transitions"),
    ]
    if legacy:
        urls += transition_api_urls(prefix, endpoint.model, basename=basename, tag=tag)
    return urls


# --- Deprecated: one URL per transition (`…/<pk>/<transition>/`), until the next release --------


def workflow_payload(obj, user, *, with_history: bool = False) -> dict:
    """The state payload of the deprecated endpoints."""
    workflow = workflow_for(obj)
    state = workflow.state_of(obj)
    data = {
        "id": obj.pk,
        workflow.field: state,
        f"{workflow.field}_label": workflow.state_label(state),
        "version": getattr(obj, "version", None),
        "allowed_transitions": [t.name for t in workflow.allowed(obj, user)],
    }
    if with_history:
        data["history"] = [
            {
                "transition": entry.transition,
                "from": entry.from_state,
                "to": entry.to_state,
                "actor": entry.actor_name,
                "timestamp": entry.timestamp,
                "comment": entry.comment,
            }
            for entry in history(obj)
        ]
    return data


def apply_from_request(obj, name: str, request) -> dict:
    """Validate the payload of a (deprecated) transition request, apply it, return the new state.

    Raises TransitionRefused (403/409/400) or DRF's ValidationError (400) with field errors.
    """
    workflow = workflow_for(obj)
    transition = workflow.check(obj, request.user, name)
    data = request.data if isinstance(request.data, dict) else {}
    form = TransitionForm(transition, obj, data=data, prefix=None)
    if not form.is_valid():
        raise serializers.ValidationError(
            {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    version = data.get("version")
    try:
        version = int(version) if version not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        raise serializers.ValidationError(
            {"version": ["La version doit être un nombre entier."]}
        ) from None
    apply_transition(
        obj,
        name,
        request.user,
        form.cleaned_data["comment"],
        expected_version=version,
        **form.extra_values(),
    )
    return workflow_payload(obj, request.user)


class LegacyTransitionSerializer(StrictInputMixin, serializers.Serializer):
    """The body of the deprecated endpoint (the step's own fields are checked by its form)."""

    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


def legacy_state_change_serializer(endpoint: WorkflowEndpoint) -> type[serializers.Serializer]:
    """Deprecated `{"to": "<state>", …}` body of `…/<pk>/transition/` (agreements, actions):
    the same fields as the transition request, with the target state instead of its name."""
    fields = endpoint.request_serializer()().fields
    attrs = {name: copy.deepcopy(field) for name, field in fields.items() if name != "transition"}
    field = endpoint.workflow.field
    attrs["to"] = NamedChoiceField(
        enum_name=f"{endpoint.prefix}{field.capitalize()}Enum",
        choices=endpoint.model._meta.get_field(field).choices,
        help_text="État visé (déprécié : donnez `transition` à `POST …/transitions/`).",
    )
    return type(
        f"{endpoint.prefix}StateChangeSerializer",
        (StrictInputMixin, serializers.Serializer),
        attrs,
    )


class LegacyWorkflowStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
    allowed_transitions = serializers.ListField(child=serializers.CharField())


class TransitionAPIView(TransitionRefusedMixin, APIView):
    """Deprecated: `POST …/<pk>/<transition>/` with an optional comment and version."""

    model = None

    def post(self, request, pk, transition):
        obj = get_visible_or_404(self.model, request.user, pk=pk)
        step = workflow_for(obj).check(obj, request.user, transition)
        data = request.data if isinstance(request.data, dict) else {}
        unknown = sorted(set(data) - {"comment", "version", *step.fields})
        if unknown:
            raise serializers.ValidationError(
                {key: [unknown_field_message(key)] for key in unknown}
            )
        return Response(apply_from_request(obj, transition, request), status=status.HTTP_200_OK)


def transition_api_urls(prefix: str, model, basename: str, tag: str = "") -> list:
    """The deprecated `…/<pk>/<transition>/` endpoint of `model` (`<basename>-transition`)."""
    operation = basename.replace("-", "_")
    view = type(
        f"{model.__name__}TransitionAPIView",
        (TransitionAPIView,),
        {
            "model": model,
            "post": extend_schema(
                operation_id=f"{operation}_apply_transition",
                summary="Appliquer une transition (déprécié)",
                description="Déprécié : utilisez `POST …/<id>/transitions/` avec "
                '`{"transition": "<nom>"}`. Retiré à la prochaine version.',
                request=LegacyTransitionSerializer,
                responses={200: LegacyWorkflowStateSerializer, **ERROR_RESPONSES},
                deprecated=True,
                tags=[tag] if tag else None,
            )(_copy(TransitionAPIView.post)),
        },
    )
    return [
        path(
            f"{prefix}/<int:pk>/<slug:transition>/",
            view.as_view(),
            name=f"{basename}-transition",
        ),
    ]
