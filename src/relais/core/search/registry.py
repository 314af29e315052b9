"""Register a model with the global search.

    from relais.core.search.registry import register
    register(Post, kind="Postes", title=lambda p: str(p), body=lambda p: " ".join([...]),
             url=lambda p: p.get_absolute_url())

Results are always filtered through `Model.objects.visible_to(user)`. Registrations live in a
`search.py` module of the app, imported at start-up by `SearchConfig.ready()` (autodiscovery, as
for the admin). See docs/dev/search.md.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Registration:
    """How one model is indexed: its kind (the heading of its results) and three callables."""

    model: type[models.Model]
    kind: str
    title: Callable[[models.Model], str]
    body: Callable[[models.Model], str]
    url: Callable[[models.Model], str]
    #: Display order of the kind on the results page (lowest first).
    order: int = 100
    #: Optional callable returning the queryset `relais reindex` walks (select/prefetch there).
    queryset: Callable[[], models.QuerySet] | None = None

    @property
    def label(self) -> str:
        """The model label stored in the index, e.g. « referential.post »."""
        return self.model._meta.label_lower

    def reindex_queryset(self) -> models.QuerySet:
        qs = self.queryset() if self.queryset else self.model._default_manager.all()
        return qs.order_by("pk")


_registry: dict[type[models.Model], Registration] = {}


def register(
    model,
    *,
    kind: str,
    title,
    body,
    url,
    order: int = 100,
    queryset=None,
) -> None:
    """Index `model` in the global search under the heading `kind`.

    `title`, `body` and `url` are callables taking an instance. `title` and `url` are shown in
    the results; `title` and `body` are searched (accents and case ignored). The model's manager
    must offer `visible_to(user)` and its primary key must be an integer.
    """
    if not hasattr(model._default_manager, "visible_to"):
        raise TypeError(f"{model.__name__} n'a pas de visible_to(user) : recherche impossible.")
    if not isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.IntegerField):
        raise TypeError(f"{model.__name__} : la recherche exige une clé primaire entière.")
    _registry[model] = Registration(
        model=model,
        kind=kind,
        title=title,
        body=body,
        url=url,
        order=order,
        queryset=queryset,
    )


def unregister(model) -> None:
    """Remove a model from the search (tests use it)."""
    _registry.pop(model, None)


def get_registration(model) -> Registration | None:
    """The registration of `model` (or of its concrete parent for a proxy), or None."""
    model = model._meta.concrete_model if model is not None else None
    return _registry.get(model)


def registrations() -> list[Registration]:
    """All registrations, in display order."""
    return sorted(_registry.values(), key=lambda r: (r.order, r.kind, r.label))


def by_label() -> dict[str, Registration]:
    return {r.label: r for r in _registry.values()}
