"""Checks shared by the API tests of child records and other endpoints added for coverage.

budget = queries_for(client, url)          # the number of queries of one GET (asserts 200)
event = last_event(obj, Action.CREATE)     # the audit event the service wrote
"""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.core.audit.models import AuditEvent


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries)


def last_event(obj, action):
    """The latest audit event of `action` on `obj` (fails when the write was not audited)."""
    event = AuditEvent.objects.for_object(obj).filter(action=action).order_by("pk").last()
    assert event is not None, f"aucun événement {action} pour {obj!r}"
    return event


def send(client, method, url, data=None):
    """A JSON request (`post`, `put`, `patch`, `delete`)."""
    call = getattr(client, method)
    if data is None:
        return call(url)
    return call(url, json.dumps(data), content_type="application/json")
