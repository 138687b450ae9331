"""The demo builder: articles of every kind, in three languages, marked as demo, idempotent."""

import re

import pytest
from wagtail.documents import get_document_model

from core.programmes import Programme
from publications.demo import ARTICLES, build_demo_content, minimal_pdf
from publications.models import ArticleKind, ArticlePage

pytestmark = pytest.mark.django_db


def test_demo_content_covers_every_programme_and_kind_with_pdfs_in_three_languages(demo):
    for language in ("az", "en", "ru"):
        articles = ArticlePage.objects.live().filter(locale__language_code=language)
        assert articles.count() == len(ARTICLES)
        assert set(articles.values_list("kind", flat=True)) == set(ArticleKind.values)
        for programme in Programme:
            assert 3 <= articles.filter(programme=programme).count() <= 4
        assert all(article.is_demo for article in articles)
        for report in articles.filter(kind=ArticleKind.REPORT):
            attachments = list(report.attachments.all())
            assert len(attachments) == 1
            assert attachments[0].document.file_extension == "pdf"
    assert demo["articles"] == len(ARTICLES)
    assert demo["translations"] == 2 * len(ARTICLES)
    assert demo["documents"] == 4


def test_building_the_demo_twice_adds_nothing(demo):
    pages = ArticlePage.objects.count()
    documents = get_document_model().objects.count()

    again = build_demo_content()

    assert again["articles"] == again["translations"] == again["documents"] == 0
    assert ArticlePage.objects.count() == pages
    assert get_document_model().objects.count() == documents


DEMO_LINES = {"az": "Nümunə məzmun", "en": "Demo content", "ru": "Демонстрационный материал"}


def test_demo_articles_are_served_in_each_language_and_say_they_are_demo(client, demo):
    for language, demo_line in DEMO_LINES.items():
        home = client.get(f"/{language}/")
        latest = ArticlePage.objects.filter(locale__language_code=language).order_by("-date")
        assert home.status_code == 200
        assert latest[0].title in home.content.decode()

        for article in latest:
            response = client.get(article.url)
            assert response.status_code == 200
            assert demo_line in response.content.decode()
            assert f'<html lang="{language}">' in response.content.decode()
        report = latest.filter(kind=ArticleKind.REPORT).first()
        document_url = report.attachments.first().document.url
        assert document_url in client.get(report.url).content.decode()
        assert client.get(document_url).status_code == 200


def test_the_demo_pdf_is_a_well_formed_pdf():
    pdf = minimal_pdf("Report (draft) \\ test", ["Line one", "Sətir iki"])

    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))
    assert pdf[startxref:].startswith(b"xref\n0 7\n")
    offsets = re.findall(rb"(\d{10}) 00000 n ", pdf[startxref:])
    assert len(offsets) == 6
    for number, offset in enumerate(offsets, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj\n" % number)
    stream_length = int(re.search(rb"/Length (\d+) >>\nstream\n", pdf).group(1))
    stream_start = pdf.index(b"stream\n") + len(b"stream\n")
    assert pdf[stream_start + stream_length :].startswith(b"\nendstream")
    assert b"(Report \\(draft\\) \\\\ test) Tj" in pdf
