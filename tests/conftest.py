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
