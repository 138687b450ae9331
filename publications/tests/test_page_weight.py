"""The home page stays light: HTML plus every static file it references under 150 KB."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from core.programmes import Programme
from publications.tests.factories import make_article

pytestmark = pytest.mark.django_db

BUDGET = 150 * 1024


def _static_files(html: str) -> list[Path]:
    urls = re.findall(r'(?:href|src)="(/static/[^"?#]+)', html)
    paths = []
    for url in sorted(set(urls)):
        found = finders.find(url.removeprefix(settings.STATIC_URL))
        assert found, f"{url} is referenced but not found"
        paths.append(Path(found))
    return paths


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_home_page_with_its_css_and_js_weighs_under_150_kb(client, language):
    for programme in Programme:
        make_article(f"A long headline about {programme}", language=language, summary="x" * 500)

    html = client.get(f"/{language}/").content.decode()

    files = _static_files(html)
    assert any(path.suffix == ".css" for path in files)
    assert any(path.suffix == ".js" for path in files)
    total = len(html.encode()) + sum(path.stat().st_size for path in files)
    assert total < BUDGET, f"{total} bytes: {[(p.name, p.stat().st_size) for p in files]}"
