"""Keeping the index in step: normalise text, index or drop one record, rebuild everything."""

import re
import unicodedata

from django.db import connection, transaction

from relais.core.search.models import SearchEntry
from relais.core.search.registry import Registration, get_registration, registrations

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, accents and ligatures removed, punctuation turned into spaces.

    The same function runs on indexed text and on queries, so « Réunion », « reunion » and
    « RÉUNION » are one word for both engines, with no database extension needed.
    """
    text = unicodedata.normalize("NFKD", str(text or "").translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", text).strip()


def _clean(value) -> str:
    return " ".join(str(value or "").split())


def entry_values(registration: Registration, instance) -> dict:
    """The index row of `instance` (title, body, url, normalised text)."""
    title = _clean(registration.title(instance))[:300]
    body = _clean(registration.body(instance))
    return {
        "kind": registration.kind,
        "title": title,
        "body": body,
        "url": str(registration.url(instance) or "")[:500],
        "text": normalise(f"{title} {body}"),
    }


def index_instance(instance) -> SearchEntry | None:
    """Create or refresh the index row of `instance`; nothing if its model is not registered."""
    registration = get_registration(type(instance))
    if registration is None or instance.pk is None:
        return None
    entry, _ = SearchEntry.objects.update_or_create(
        model=registration.label,
        object_id=instance.pk,
        defaults=entry_values(registration, instance),
    )
    return entry


def unindex_instance(instance) -> None:
    """Drop the index row of `instance` (before or after its deletion)."""
    registration = get_registration(type(instance))
    if registration is not None and instance.pk is not None:
        SearchEntry.objects.filter(model=registration.label, object_id=instance.pk).delete()


def _rebuild_engine() -> None:
    """Ask the engine to rebuild its own structures from the table (SQLite FTS5 only)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('rebuild')"
            )


def rebuild(progress=None, batch_size: int = 500) -> dict[str, int]:
    """Empty the index and index every registered record again; return the count per kind.

    `progress(iterable, total, desc)` may wrap each model's records (the command passes tqdm).
    """
    counts: dict[str, int] = {}
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for registration in registrations():
            qs = registration.reindex_queryset()
            rows = qs.iterator(chunk_size=batch_size)
            if progress is not None:
                rows = progress(rows, total=qs.count(), desc=registration.kind)
            batch = []
            count = 0
            for instance in rows:
                batch.append(
                    SearchEntry(
                        model=registration.label,
                        object_id=instance.pk,
                        **entry_values(registration, instance),
                    )
                )
                count += 1
                if len(batch) >= batch_size:
                    SearchEntry.objects.bulk_create(batch)
                    batch = []
            SearchEntry.objects.bulk_create(batch)
            counts[registration.kind] = counts.get(registration.kind, 0) + count
        _rebuild_engine()
    return counts
