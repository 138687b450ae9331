"""The home page and "find my polling station" stay light for phones on slow connections: under
150 KB of HTML, CSS, JavaScript and data once compressed (images not counted).

The live server does not compress, so the raw bytes of each response are measured in the browser
and their gzip size is computed here, as a compressing server or proxy would send them. Run with
-s to see the figures."""

import gzip
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from geo.models import PollingStation

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET_COMPRESSED = 150 * 1024
COUNTED = {"document", "stylesheet", "script", "fetch", "xhr"}  # not images, not fonts


def weigh(page, url: str) -> dict:
    """Load `url` in a fresh page and sum what it transferred, by kind."""
    responses = []

    def collect(response):
        responses.append(response)

    page.on("response", collect)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", collect)
    totals = {"raw": 0, "gzip": 0, "requests": 0, "by_kind": {}, "files": []}
    for response in responses:
        kind = response.request.resource_type
        if kind not in COUNTED or not 200 <= response.status < 300:
            continue
        body = response.body()
        compressed = len(gzip.compress(body, compresslevel=6))
        totals["raw"] += len(body)
        totals["gzip"] += compressed
        totals["requests"] += 1
        raw_kind, gzip_kind = totals["by_kind"].get(kind, (0, 0))
        totals["by_kind"][kind] = (raw_kind + len(body), gzip_kind + compressed)
        totals["files"].append((response.url.split("/", 3)[-1], len(body), compressed))
    return totals


def report(name: str, totals: dict) -> str:
    lines = [
        f"{name}: {totals['requests']} requests, {totals['raw'] / 1024:.1f} KB raw, "
        f"{totals['gzip'] / 1024:.1f} KB gzip"
    ]
    lines += [
        f"  /{path}: {raw / 1024:.1f} KB, {packed / 1024:.1f} KB gzip"
        for path, raw, packed in totals["files"]
    ]
    return "\n".join(lines)


def test_home_and_find_station_pages_weigh_under_150_kb_compressed(
    live_server, page, demo_content, demo_geography
):
    station = PollingStation.objects.order_by("code").first()
    pages = {
        "home page": "/az/",
        "find my polling station": "/az/stations/",
        "find my polling station, with results": f"/az/stations/?q={quote(station.settlement)}",
    }
    figures = {}
    for name, path in pages.items():
        figures[name] = totals = weigh(page, f"{live_server.url}{path}")
        print(report(name, totals))
        # What was weighed is the real page: its HTML, stylesheet and scripts all arrived.
        assert totals["by_kind"].get("document", (0, 0))[0] > 5_000
        assert "stylesheet" in totals["by_kind"]
        assert "script" in totals["by_kind"]
    expect(page.locator("#station-map.leaflet-container")).to_be_visible()

    too_heavy = {
        name: f"{totals['gzip'] / 1024:.1f} KB"
        for name, totals in figures.items()
        if totals["gzip"] > BUDGET_COMPRESSED
    }
    assert not too_heavy, too_heavy
    assert not page.problems, page.problems
