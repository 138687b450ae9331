"""Atom feeds per language and programme; one sitemap for all three languages."""

from xml.etree import ElementTree

import pytest

from core.programmes import Programme
from publications.models import ArticlePage, HomePage
from publications.tests.factories import make_article, translate_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _parse(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314  (our own response, not untrusted input)


def _entries(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = _parse(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed, feed.findall(f"{ATOM}entry")


def test_atom_feed_is_valid_xml_with_the_languages_entries(client):
    source = make_article("Seçki xəbəri", summary="Xülasə.")
    english = translate_article(source, "en", "Election news", summary="Summary.")

    feed, entries = _entries(client.get("/en/feed/"))

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [english.title]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}summary") == "Summary."
    assert entry.find(f"{ATOM}link").get("href").endswith(english.url)
    assert entry.findtext(f"{ATOM}published").startswith(english.date.isoformat())
    _feed, az_entries = _entries(client.get("/az/feed/"))
    assert [entry.findtext(f"{ATOM}title") for entry in az_entries] == [source.title]


def test_programme_feed_lists_only_that_programme(client):
    make_article("Elections", language="en", programme=Programme.ELECTIONS)
    make_article("Rights", language="en", programme=Programme.HUMAN_RIGHTS)

    _feed, entries = _entries(client.get("/en/feed/human_rights/"))

    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Rights"]


def test_feed_for_an_unknown_programme_is_not_found(client):
    assert client.get("/en/feed/astrology/").status_code == 404


def test_pages_announce_their_feed(client):
    html = client.get("/ru/").content.decode()

    assert 'type="application/atom+xml"' in html
    assert 'href="/ru/feed/"' in html


def test_sitemap_lists_every_public_page_in_three_languages(client):
    article = make_article("Sitemap article", language="en")
    draft = make_article("Draft article", language="en", live=False)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = _parse(response.content)
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    for home in HomePage.objects.all():
        assert any(location.endswith(home.url) for location in locations)
    assert {location.split("/")[3] for location in locations} == {"az", "en", "ru"}
    assert any(location.endswith(article.url) for location in locations)
    assert not any(location.endswith(f"/{draft.slug}/") for location in locations)
    pages = ArticlePage.objects.live().count() + 3 * 6  # skeleton: home, 4 programmes, index
    assert len(locations) == pages


def test_sitemap_names_the_translations_of_each_page(client):
    root = _parse(client.get("/sitemap.xml").content)
    first = root.find(f"{SITEMAP}url")

    languages = {
        link.get("hreflang") for link in first.findall("{http://www.w3.org/1999/xhtml}link")
    }
    assert languages == {"az", "en", "ru"}
