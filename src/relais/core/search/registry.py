"""Register a model with the global search.

    from relais.core.search.registry import register
    register(Post, kind="Postes", title=lambda p: str(p), body=lambda p: " ".join([...]),
             url=lambda p: p.get_absolute_url())

Results are always filtered through `Model.objects.visible_to(user)`.
"""

# STUB interface — implemented by the search work.

_registry = {}


def register(model, *, kind: str, title, body, url) -> None:
    _registry[model] = {"kind": kind, "title": title, "body": body, "url": url}
