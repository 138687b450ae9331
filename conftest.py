"""Fixtures shared by every test module."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached sessions live in the cache; each test starts clean.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A test that activates a language must not change the next test's URLs.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
