"""The index follows every write.

- `record_written` / `record_deleted` (sent by relais.core.records inside its transaction) are
  the main path: they come after many-to-many values are set, so the body sees them.
- `post_save` / `post_delete` are a safety net for registered models only (admin, factories,
  commands that call `save()`); they cost one upsert for a registered model and nothing for
  others. Raw saves (fixtures loading) are skipped: `relais reindex` follows a load.
- `m2m_changed`: many-to-many values set after `save()` (admin, factories) refresh the registered
  records on either side of the relation.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from relais.core.records import record_deleted, record_written
from relais.core.search.index import index_instance, unindex_instance
from relais.core.search.registry import get_registration


def on_record_written(sender, instance, **kwargs):
    index_instance(instance)


def on_record_deleted(sender, instance, **kwargs):
    unindex_instance(instance)


def on_post_save(sender, instance, raw=False, **kwargs):
    if not raw and get_registration(sender) is not None:
        index_instance(instance)


def on_post_delete(sender, instance, **kwargs):
    if get_registration(sender) is not None:
        unindex_instance(instance)


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if get_registration(type(instance)) is not None:
        index_instance(instance)
    if pk_set and get_registration(model) is not None:
        for other in model._default_manager.filter(pk__in=pk_set):
            index_instance(other)


def connect() -> None:
    record_written.connect(on_record_written, dispatch_uid="search-record-written")
    record_deleted.connect(on_record_deleted, dispatch_uid="search-record-deleted")
    post_save.connect(on_post_save, dispatch_uid="search-post-save")
    post_delete.connect(on_post_delete, dispatch_uid="search-post-delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="search-m2m-changed")
