"""The public results page and published statements: drafts never show."""

import pytest
from django.urls import reverse
from django.utils import timezone

from quickcount.models import EstimateSnapshot
from statements import services
from statements.tests.conftest import snapshot_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(built, election, analyst):
    return services.draft_statement(actor=analyst, election=election)


def _public(name: str, *args, lang: str = "en") -> str:
    url = reverse(f"statements:{name}", args=args)
    return url.replace("/en/", f"/{lang}/", 1)


def test_a_draft_is_not_found(client, statement):
    assert client.get(_public("statement_detail", statement.slug)).status_code == 404
    assert client.get(_public("statement_pdf", statement.slug)).status_code == 404
    home = client.get(_public("results_home")).content.decode()
    assert statement.title_en not in home and statement.slug not in home


def test_a_published_statement_is_public(client, statement, analyst):
    services.publish_statement(actor=analyst, statement=statement)
    response = client.get(statement.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert statement.title_en in body
    assert "Our recommendations" in body
    pdf = client.get(_public("statement_pdf", statement.slug) + "?lang=ru")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    home = client.get(_public("results_home")).content.decode()
    assert statement.get_absolute_url() in home


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_pages_render_in_azerbaijani_and_russian(client, statement, analyst, election, lang):
    services.publish_statement(actor=analyst, statement=statement)
    home = client.get(_public("results_home", lang=lang))
    assert home.status_code == 200
    detail = client.get(_public("statement_detail", statement.slug, lang=lang))
    assert detail.status_code == 200
    assert getattr(statement, f"title_{lang}") in detail.content.decode()


def test_results_page_shows_only_the_latest_published_quick_count(client, built, contest):
    design = built["design"]
    # A later snapshot that is not published must not show.
    EstimateSnapshot.objects.create(
        design=design,
        taken_at=timezone.now(),
        n_reported=5,
        result=snapshot_result(leader=0.9876),
        is_published=False,
    )
    body = client.get(_public("results_home")).content.decode()
    assert "62.0%" in body and "±4.0" in body
    assert "98.8%" not in body
    assert "Preliminary figures may change" in body


def test_no_quick_count_shown_when_none_is_published(client, built):
    EstimateSnapshot.objects.update(is_published=False)
    body = client.get(_public("results_home")).content.decode()
    assert "62.0%" not in body
    assert client.get(_public("results_home")).status_code == 200
