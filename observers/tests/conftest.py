"""The small geography of the geo tests, shared here."""

from geo.tests.conftest import geography  # noqa: F401
