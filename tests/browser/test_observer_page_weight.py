"""The observer's phone page stays small for cheap phones on bad connections: its HTML, CSS,
JavaScript and the observer's data (/me) together under 60 KB once compressed. Run with -s to
see the figures."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import make_staff
from observation import signin
from observation.tests.phone_fixtures import *  # noqa: F403
from tests.browser.test_page_weight import report, weigh

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET_COMPRESSED = 60 * 1024


def test_the_phone_page_is_light(live_server, phone_page, observer, station, open_form):
    page = phone_page
    code = signin.issue_access_code(observer, actor=make_staff(Role.COORDINATOR))
    page.goto(f"{live_server.url}/az/observer/")
    page.fill("#access-code", code)
    page.click("#access-sign-in")
    expect(page.locator("#home-title")).to_be_visible()

    totals = weigh(page, f"{live_server.url}/az/observer/")
    expect(page.locator("#stations")).to_contain_text(station.code)
    print(report("observer page", totals))
    assert totals["gzip"] < BUDGET_COMPRESSED, report("observer page", totals)
