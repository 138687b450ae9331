"""Setting which regions a coordinator watches: only for those who manage accounts; every change
is audited and takes effect on the election-day pages at once."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from audit.models import AuditEntry
from observation.access import visible_region_ids
from observation.coordinators import coordinator_regions_set, coordinators
from observation.models import CoordinatorScope
from observation.tests.dashboard_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

BASE = "/en/staff/observation/coordinators/"


def test_only_people_who_manage_accounts_open_the_pages(client, day):
    person = day["baku_coordinator"]
    pages = [BASE, f"{BASE}{person.pk}/"]
    for url in pages:
        assert client.get(url).status_code == 302
    for who in ("baku_coordinator", "analyst", "lawyer"):
        client.force_login(day[who])
        for url in pages:
            assert client.get(url).status_code == 403, (who, url)
        assert client.post(pages[1], {"regions": []}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(BASE).status_code == 403
    client.force_login(day["administrator"])
    for url in pages:
        assert client.get(url).status_code == 200
    assert list(visible_region_ids(person)) == [day["regions"]["baki"].pk]


def test_the_list_shows_each_coordinator_and_their_regions(client, day):
    newcomer = make_staff(Role.COORDINATOR, full_name="New Coordinator")
    client.force_login(day["administrator"])
    html = client.get(BASE).content.decode()
    assert "Bakı Coordinator" in html and "Baku" in html
    assert "New Coordinator" in html and "none: sees nothing" in html
    rows = dict(coordinators())
    assert rows[newcomer] == []
    assert rows[day["sheki_coordinator"]] == [day["regions"]["seki-zaqatala"]]


def test_an_administrator_sets_a_coordinators_regions_and_it_is_audited(client, day):
    administrator, person = day["administrator"], make_staff(Role.COORDINATOR)
    regions = day["regions"]
    client.force_login(administrator)
    response = client.post(
        f"{BASE}{person.pk}/", {"regions": [regions["baki"].pk, regions["seki-zaqatala"].pk]}
    )
    assert response.status_code == 302
    assert visible_region_ids(person) == {regions["baki"].pk, regions["seki-zaqatala"].pk}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, actor=administrator)
    assert entry.changes == {"regions": [[], ["baki", "seki-zaqatala"]]}

    client.post(f"{BASE}{person.pk}/", {})  # every box unticked: no regions
    assert visible_region_ids(person) == set()


def test_saving_the_same_regions_writes_nothing_to_the_audit_log(day):
    person, baku = day["baku_coordinator"], day["regions"]["baki"]
    coordinator_regions_set(actor=day["administrator"], user=person, regions=[baku])
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()
    assert CoordinatorScope.objects.filter(user=person).count() == 1


def test_an_unknown_region_is_refused_with_a_reason(client, day):
    client.force_login(day["administrator"])
    person = day["baku_coordinator"]
    response = client.post(f"{BASE}{person.pk}/", {"regions": ["999999"]})
    assert response.status_code == 422
    assert "Choose regions from the list." in response.content.decode()
    assert visible_region_ids(person) == {day["regions"]["baki"].pk}


def test_the_form_warns_when_regions_would_change_nothing(client, day):
    client.force_login(day["administrator"])
    html = client.get(f"{BASE}{day['analyst'].pk}/").content.decode()
    assert "shows them every region anyway" in html
    html = client.get(f"{BASE}{day['lawyer'].pk}/").content.decode()
    assert "no role that watches election day" in html
    assert client.get(f"{BASE}999999/").status_code == 404
