"""Shared fixtures: the reference organisation, one user per role, logged-in clients."""

import pytest

pytest_plugins = ["tests.factories", "tests.fixtures", "tests.browser.support"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, tmp_path_factory):
    """Each test records its audit checkpoints in a file of its own (its database is rolled
    back afterwards); the key file is generated once per worker, as the demo does."""
    import uuid

    folder = tmp_path_factory.getbasetemp() / "audit-checkpoints"
    settings.AUDIT_CHECKPOINT_FILE = folder / f"{uuid.uuid4().hex}.log"
    settings.AUDIT_KEY_FILE = folder / "checkpoints.key"
    settings.AUDIT_KEY = ""


@pytest.fixture
def keep_db_connection(monkeypatch):
    """For tests that call Django's WSGI handler directly (wsgiref's validator, schemathesis, a
    generated client on httpx's WSGI transport): at the start and end of every request Django
    closes a connection that is not in autocommit (`close_old_connections`), which on PostgreSQL
    drops the test's transaction. The test client avoids it by disconnecting the signal for its
    own requests (and connects it again after each); here the connections stay open."""
    from django.db import connections

    for connection in connections.all():
        monkeypatch.setattr(connection, "close_if_unusable_or_obsolete", lambda: None)
