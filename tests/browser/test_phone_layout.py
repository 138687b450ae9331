"""On a cheap 360 px phone the public pages fit the screen: nothing scrolls sideways, and the
navigation and language switcher stay on screen."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from geo.models import PollingStation
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 360


def wider_than_the_screen(page) -> list[str]:
    """Elements whose right edge is past the screen's (what makes a page scroll sideways)."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll("body *")]
            .filter((element) => element.getBoundingClientRect().right > width + 0.5
                && !element.closest(".visually-hidden, .leaflet-pane, .leaflet-control-container"))
            .slice(0, 5)
            .map((element) => element.tagName.toLowerCase()
                + (element.id ? "#" + element.id : "")
                + (element.className && typeof element.className === "string"
                    ? "." + element.className.trim().split(/\\s+/).join(".") : ""))""",
        WIDTH,
    )


def test_home_sign_in_and_find_station_pages_fit_a_360_px_phone(
    live_server, phone_page, demo_content, demo_geography
):
    page = phone_page
    station = PollingStation.objects.order_by("code").first()
    pages = {
        "home-az-360": "/az/",
        "home-ru-360": "/ru/",
        "sign-in-360": "/az/accounts/login/",
        "find-station-360": f"/az/stations/?q={quote(station.settlement)}",
    }
    overflowing = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("window.innerWidth") == WIDTH
        if "find-station" in name:
            expect(page.locator("#station-results .geo-result").first).to_be_visible()
            expect(page.locator("#station-map.leaflet-container")).to_be_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > WIDTH:
            overflowing[name] = (scroll_width, wider_than_the_screen(page))
        # The way around the site stays on screen and usable by touch.
        for control in page.locator(".site-nav a, .language-switcher button").all():
            expect(control).to_be_in_viewport()
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (name, box)
            assert box["height"] >= 24, f"{name}: a navigation target is {box['height']} px high"
        screenshot(page, name)
    assert not overflowing, overflowing
    assert not page.problems, page.problems
