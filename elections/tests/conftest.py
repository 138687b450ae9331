"""The small geography of the geo tests (three constituencies, five stations), shared here."""

from geo.tests.conftest import geography  # noqa: F401
