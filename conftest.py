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
def _english_unless_a_test_says_otherwise():
    # Tests assert English msgids; a test about another language activates it (or requests a
    # /az/ or /ru/ URL). Reset after each test so no language leaks into the next one.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
