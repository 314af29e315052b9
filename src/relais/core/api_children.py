"""Nested API endpoints for the child records of a record: the rounds of an agreement, the
funding lines of an action, the notes of a report…

    class RoundViewSet(ChildViewSet, mixins.ListModelMixin, mixins.CreateModelMixin, …):
        parent_model = Agreement            # the parent, found with visible_to(user) or 404
        parent_kwarg = "agreement_pk"       # its id in the URL
        parent_field = "agreement"          # the child's foreign key to it
        model = NegotiationRound            # the child, read with visible_to(user)

    router.register(r"agreements/(?P<agreement_pk>[0-9]+)/rounds", RoundViewSet, …)

Reads and writes follow the parent: a parent out of scope answers 404 for every child URL; a
write the caller may not make answers 403 before the body is read (`may_add` for a new child,
`can_change` of the stored child for a change or a delete). The serializer finds the parent
in its context (`self.context["parent"]`) and writes through the module's service function.
A delete may carry `?version=N` (409 when the record changed since).
"""

from django.core.exceptions import PermissionDenied
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from relais.core.access import get_visible_or_404, require_change


def version_param(request) -> int | None:
    """The optional `?version=N` of a delete (400 when it is not a number)."""
    raw = request.query_params.get("version")
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise serializers.ValidationError(
            {"version": ["La version doit être un nombre entier."]}
        ) from None


class ChildViewSet(viewsets.GenericViewSet):
    """Base of a nested viewset: the parent from the URL, the children of that parent only."""

    parent_model = None
    parent_kwarg = "parent_pk"
    parent_field = "parent"
    model = None
    #: Message of the 403 when the caller may not add a child to this parent.
    add_refused = "Vous pouvez consulter cet enregistrement, mais pas le compléter."

    def get_parent_queryset(self):
        return self.parent_model.objects.all()

    def get_parent(self):
        if not hasattr(self, "_parent"):
            self._parent = get_visible_or_404(
                self.get_parent_queryset(), self.request.user, pk=self.kwargs[self.parent_kwarg]
            )
        return self._parent

    def get_child_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no parent in the URL
            return self.model.objects.none()
        qs = self.get_child_queryset().visible_to(self.request.user)
        return qs.filter(**{self.parent_field: self.get_parent()})

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and self.parent_kwarg in self.kwargs:
            context["parent"] = self.get_parent()
        return context

    def may_add(self, parent) -> bool:
        return parent.can_change(self.request.user)


class CreateChildMixin(mixins.CreateModelMixin):
    def create(self, request, *args, **kwargs):
        if not self.may_add(self.get_parent()):
            raise PermissionDenied(self.add_refused)
        return super().create(request, *args, **kwargs)


class UpdateChildMixin(mixins.UpdateModelMixin):
    def update(self, request, *args, **kwargs):
        require_change(request.user, self.get_object())
        return super().update(request, *args, **kwargs)


class DestroyChildMixin:
    """`DELETE …/<id>/[?version=N]` through `delete_child(obj, user, expected_version=…)`."""

    def delete_child(self, obj, user, *, expected_version=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        require_change(request.user, obj)
        self.delete_child(obj, request.user, expected_version=version_param(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EditThroughMixin:
    """`PUT`/`PATCH` on a read viewset with a separate write serializer (`edit_serializer_class`,
    a `VersionedSerializerMixin`: version required, records service, audit). 404 out of scope,
    403 when the record may be read but not changed; the answer is the record as read."""

    edit_serializer_class = None

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        require_change(request.user, instance)
        serializer = self.edit_serializer_class(
            instance, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(self.get_serializer(self.get_object()).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


class RecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change a top-level record: 403 before the body is read when the
    caller may not create (`may_create`) or may read but not change the record."""

    create_refused = "Votre rôle ne permet pas de créer cet enregistrement."

    def may_create(self, user) -> bool:  # pragma: no cover - overridden
        return False

    def create(self, request, *args, **kwargs):
        if not self.may_create(request.user):
            raise PermissionDenied(self.create_refused)
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        require_change(request.user, self.get_object())
        return super().update(request, *args, **kwargs)
