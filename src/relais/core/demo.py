"""The registry of demo data loaders, run by `relais setup-demo` and `relais load-demo`.

The referential's demo (the posts abroad, their staff and the demo accounts) always runs first;
then every module adds its own demo data without editing the commands, from its
`AppConfig.ready()`:

    from relais.core import demo
    from relais.agreements.demo import load_demo_agreements

    demo.register(load_demo_agreements, order=50)

A loader takes no argument, runs in its own transaction and is idempotent: it creates what is
missing and never changes or re-creates what already exists (a second `setup-demo` must leave
every user's edits alone). It may return a dict `{label: number of rows created}`, which the
commands print. Loaders run by increasing `order`, then by name. When any loader created rows,
the commands rebuild the search index afterwards, so a loader may use bulk inserts.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

Loader = Callable[[], dict[str, int] | None]


@dataclass(frozen=True)
class DemoLoader:
    name: str
    func: Loader
    order: int = 100


@dataclass(frozen=True)
class DemoResult:
    loader: DemoLoader
    created: dict[str, int]
    seconds: float


_loaders: dict[str, DemoLoader] = {}


def _qualified_name(func) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"


def register(loader: Loader, order: int = 100, *, name: str | None = None) -> Loader:
    """Add a demo loader (registering the same function twice keeps one entry)."""
    key = name or _qualified_name(loader)
    _loaders[key] = DemoLoader(name=key, func=loader, order=order)
    return loader


def unregister(loader_or_name) -> None:
    """Remove a loader (tests use it to clean up after themselves)."""
    key = loader_or_name if isinstance(loader_or_name, str) else _qualified_name(loader_or_name)
    _loaders.pop(key, None)


def registered() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda d: (d.order, d.name))


def run_all() -> list[DemoResult]:
    """Run every registered loader, in order, each in its own transaction."""
    results = []
    for loader in registered():
        start = time.perf_counter()
        with transaction.atomic():
            created = loader.func() or {}
        results.append(DemoResult(loader, dict(created), time.perf_counter() - start))
    return results
