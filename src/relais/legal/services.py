"""Writes of the `legal` app: syncing the `Mission` table from data/article-1.yaml."""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, transaction

from relais.legal.article import Article, load_article

#: The fields `sync_missions()` copies from the YAML file to each `Mission` row.
SYNCED_FIELDS = (
    "order",
    "label",
    "title",
    "text",
    "roles",
    "cooperation_kinds",
    "beneficiaries",
    "open_beneficiaries",
    "liaisons",
    "excludes_intelligence",
)


@dataclass(frozen=True)
class SyncResult:
    version: str
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    stale: tuple[str, ...]

    def summary(self) -> str:
        return (
            f"Article 1, version {self.version} : {len(self.created)} mission(s) créée(s), "
            f"{len(self.updated)} mise(s) à jour, {len(self.unchanged)} inchangée(s)"
            + (f", absentes du fichier : {', '.join(self.stale)}" if self.stale else "")
            + "."
        )


def _values(mission, version: str) -> dict:
    values = {name: getattr(mission, name) for name in SYNCED_FIELDS}
    for name in ("roles", "cooperation_kinds", "beneficiaries", "liaisons"):
        values[name] = list(values[name])
    values["version"] = version
    return values


def sync_missions(
    *, model=None, using: str = DEFAULT_DB_ALIAS, article: Article | None = None
) -> SyncResult:
    """Make the `Mission` table match the YAML file. Idempotent: unchanged rows are not written.

    `model` lets the post_migrate receiver pass the historical model. Missions missing from the
    file are reported (`stale`), never deleted: records may still cite them.
    """
    if model is None:
        from relais.legal.models import Mission as model
    article = article or load_article()
    existing = {m.code: m for m in model._default_manager.using(using).all()}
    created, updated, unchanged = [], [], []
    with transaction.atomic(using=using):
        # Free the `order` values first when missions were reordered (unique constraint).
        wanted = {m.code: _values(m, article.version) for m in article.missions}
        moved = [
            row
            for code, row in existing.items()
            if code not in wanted or row.order != wanted[code]["order"]
        ]
        for offset, row in enumerate(moved, start=1):
            model._default_manager.using(using).filter(pk=row.pk).update(order=1000 + offset)
        for code, values in wanted.items():
            row = existing.get(code)
            if row is None:
                model._default_manager.using(using).create(code=code, **values)
                created.append(code)
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.save(using=using)
                updated.append(code)
            else:
                unchanged.append(code)
    stale = tuple(sorted(set(existing) - set(wanted)))
    return SyncResult(article.version, tuple(created), tuple(updated), tuple(unchanged), stale)
