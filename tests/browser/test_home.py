"""The home page speaks Azerbaijani, English and Russian, presents the four programmes, and the
visible language switcher moves between the languages."""

import re

import pytest
from playwright.sync_api import expect

from core.programmes import Programme
from publications.content import HOME, PROGRAMMES
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ("az", "en", "ru")


def programme_titles(language: str) -> list[str]:
    return [PROGRAMMES[programme][language]["title"] for programme in Programme]


def test_home_page_renders_in_azerbaijani_english_and_russian_with_the_four_programmes(
    live_server, page
):
    for language in LANGUAGES:
        response = page.goto(f"{live_server.url}/{language}/")
        assert response.status == 200
        assert page.get_attribute("html", "lang") == language
        expect(page.locator("main h1")).to_have_text(HOME[language]["heading"])
        # The intro's first words, from the association's own statement in this language.
        intro = re.sub(r"<[^>]+>", "", HOME[language]["intro"])
        expect(page.locator("main .hero")).to_contain_text(intro[:40])

        cards = page.locator(".programme-grid .programme-card")
        expect(cards).to_have_count(4)
        expect(cards.locator("h2")).to_have_text(programme_titles(language))
        for programme in Programme:
            words = PROGRAMMES[programme][language]["text"].split()[:6]
            expect(page.locator(".programme-grid")).to_contain_text(" ".join(words))
        # Each card leads to its programme's page in the same language.
        hrefs = cards.locator("h2 a").evaluate_all("links => links.map(a => a.pathname)")
        assert all(href.startswith(f"/{language}/") for href in hrefs), hrefs
        assert len(set(hrefs)) == 4

        # The switcher marks the current language.
        expect(page.locator(f'.language-switcher button[value="{language}"]')).to_have_attribute(
            "aria-current", "true"
        )
        screenshot(page, f"home-{language}")
    assert not page.problems, page.problems


def test_a_programme_card_opens_the_programme_page_in_the_same_language(live_server, page):
    page.goto(f"{live_server.url}/ru/")
    title = PROGRAMMES[Programme.HUMAN_RIGHTS]["ru"]["title"]
    with page.expect_navigation():
        page.locator(".programme-card h2 a", has_text=title).click()
    assert page.url.startswith(f"{live_server.url}/ru/")
    assert page.get_attribute("html", "lang") == "ru"
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.locator("main")).to_contain_text(
        " ".join(PROGRAMMES[Programme.HUMAN_RIGHTS]["ru"]["text"].split()[:5])
    )
    assert not page.problems, page.problems


def test_language_switcher_moves_between_azerbaijani_english_and_russian(live_server, page):
    page.goto(f"{live_server.url}/az/")
    expect(page.locator("main h1")).to_have_text(HOME["az"]["heading"])

    for language in ("en", "ru", "az"):
        button = page.locator(f'.language-switcher button[value="{language}"]')
        expect(button).to_be_visible()
        expect(button).to_have_text(language.upper())
        with page.expect_navigation():
            button.click()
        assert page.url == f"{live_server.url}/{language}/"
        assert page.get_attribute("html", "lang") == language
        expect(page.locator("main h1")).to_have_text(HOME[language]["heading"])
        expect(page.locator(".programme-card h2")).to_have_text(programme_titles(language))
        expect(button).to_have_attribute("aria-current", "true")
    assert not page.problems, page.problems
