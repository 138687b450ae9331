"""Staff observer pages: who may see and change them, and what the forms do."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from observers.models import Observer, ObserverStatusChange
from observers.tests.factories import ObserverFactory

pytestmark = pytest.mark.usefixtures("geography")

BASE = "/en/staff/observers/"
S = Observer.Status


@pytest.fixture
def observer():
    return ObserverFactory(full_name="Günel Kərimova", phone="+994551112233")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.COORDINATOR, True),
        (Role.ANALYST, False),
        (Role.LAWYER, False),
        (Role.DOCUMENTATION_OFFICER, False),
        (Role.PROGRAMME_OFFICER, False),
    ],
)
def test_only_administrators_and_coordinators_open_and_change_observers(
    client, observer, role, allowed
):
    client.force_login(make_staff(role))
    for url in [BASE, f"{BASE}{observer.pk}/"]:
        assert client.get(url).status_code == (200 if allowed else 403), url
    response = client.post(f"{BASE}{observer.pk}/move/", {"to_status": S.VETTED})
    assert response.status_code == (302 if allowed else 403)
    bulk = client.post(f"{BASE}move/", {"observers": [observer.pk], "to_status": S.REJECTED})
    assert bulk.status_code == (302 if allowed else 403)
    observer.refresh_from_db()
    assert observer.status == (S.REJECTED if allowed else S.APPLIED)


def test_an_anonymous_visitor_is_sent_to_sign_in_and_a_citizen_refused(client, observer):
    response = client.get(BASE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(f"{BASE}{observer.pk}/move/", {"to_status": S.VETTED}).status_code == 302
    client.force_login(UserFactory())
    assert client.get(BASE).status_code == 403
    assert not ObserverStatusChange.objects.exists()


def test_the_list_filters_and_searches(client, observer):
    other = ObserverFactory(full_name="Orxan Babayev", status=S.VETTED)
    client.force_login(make_staff(Role.COORDINATOR))
    html = client.get(BASE).content.decode()
    assert observer.full_name in html and other.full_name in html
    html = client.get(BASE, {"status": S.VETTED}).content.decode()
    assert observer.full_name not in html and other.full_name in html
    html = client.get(BASE, {"q": "1112233"}).content.decode()
    assert observer.full_name in html and other.full_name not in html
    html = client.get(BASE, {"region": observer.region.pk}).content.decode()
    assert observer.full_name in html and other.full_name not in html
    html = client.get(BASE, {"election": other.election.pk}).content.decode()
    assert observer.full_name not in html and other.full_name in html


def test_the_list_is_paginated(client):
    ObserverFactory.create_batch(51)
    client.force_login(make_staff(Role.COORDINATOR))
    html = client.get(BASE).content.decode()
    assert "Page 1 of 2" in html and "page=2" in html
    assert client.get(BASE, {"page": 2}).status_code == 200


def test_the_detail_page_offers_the_next_steps_and_shows_the_history(client, observer):
    coordinator = make_staff(Role.COORDINATOR)
    client.force_login(coordinator)
    html = client.get(f"{BASE}{observer.pk}/").content.decode()
    assert 'value="vetted"' in html and 'value="rejected"' in html and 'value="trained"' not in html
    response = client.post(
        f"{BASE}{observer.pk}/move/", {"to_status": S.VETTED, "note": "Called on Monday."}
    )
    assert response.status_code == 302
    html = client.get(f"{BASE}{observer.pk}/").content.decode()
    assert "Called on Monday." in html and str(coordinator) in html
    assert 'value="trained"' in html


def test_a_refused_step_is_explained(client, observer):
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(f"{BASE}{observer.pk}/move/", {"to_status": S.DEPLOYED}, follow=True)
    assert "cannot go from" in response.content.decode()
    observer.refresh_from_db()
    assert observer.status == S.APPLIED


def test_a_bulk_step_is_all_or_nothing(client, observer):
    vetted = ObserverFactory(status=S.VETTED)
    client.force_login(make_staff(Role.ADMINISTRATOR))
    response = client.post(
        f"{BASE}move/",
        {"observers": [observer.pk, vetted.pk], "to_status": S.VETTED, "next": BASE},
        follow=True,
    )
    assert "Nobody was moved" in response.content.decode()
    assert Observer.objects.filter(status=S.VETTED).count() == 1
    response = client.post(
        f"{BASE}move/", {"observers": [observer.pk, vetted.pk], "to_status": S.REJECTED}
    )
    assert response.status_code == 302 and response["Location"] == BASE
    assert Observer.objects.filter(status=S.REJECTED).count() == 2


def test_the_bulk_step_does_not_redirect_elsewhere(client, observer):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    response = client.post(
        f"{BASE}move/",
        {"observers": [observer.pk], "to_status": S.VETTED, "next": "https://evil.example/"},
    )
    assert response["Location"] == BASE


def test_the_elections_programme_links_to_observers(client):
    from backoffice.programmes import section_for_slug

    section = section_for_slug("elections")
    titles = [item["title"] for item in section.available_to(make_staff(Role.COORDINATOR))]
    assert "Observers" in titles
    assert "Observers" not in [
        item["title"] for item in section.available_to(make_staff(Role.ANALYST))
    ]
