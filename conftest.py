"""Fixtures shared by every test module."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached sessions live in the cache; each test starts clean.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
