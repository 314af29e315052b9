"""Shared fixtures: the reference organisation, one user per role, logged-in clients."""

import pytest

pytest_plugins = ["tests.factories", "tests.fixtures", "tests.browser.support"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
