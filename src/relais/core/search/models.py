"""The search index: one row per registered record, kept in step with every write.

The full-text part is the database's own engine, added by migration 0002 outside Django's model:
- SQLite: an FTS5 table `search_searchentry_fts` (external content, `unicode61 remove_diacritics 2`
  tokenizer) kept in step with this table by triggers;
- PostgreSQL: a generated `search_vector` tsvector column (French configuration plus the `simple`
  one, so that stop words such as ISO codes « ES » stay searchable) with a GIN index.

`text` holds the normalised text (lower case, accents removed): both engines index it.
"""

from django.db import models


class SearchEntry(models.Model):
    """One searchable record: what the results show (title, url) and what is searched (text)."""

    model = models.CharField("modèle", max_length=100)
    object_id = models.BigIntegerField("identifiant de l'enregistrement")
    kind = models.CharField("type", max_length=100)
    title = models.CharField("titre", max_length=300)
    body = models.TextField("texte", blank=True)
    url = models.CharField("adresse", max_length=500, blank=True)
    text = models.TextField("texte normalisé", blank=True)
    updated_at = models.DateTimeField("indexé le", auto_now=True)

    class Meta:
        verbose_name = "entrée de l'index de recherche"
        verbose_name_plural = "entrées de l'index de recherche"
        ordering = ["model", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id"], name="%(app_label)s_%(class)s_unique_object"
            )
        ]

    def __str__(self):
        return f"{self.kind} : {self.title}"
