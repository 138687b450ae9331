"""Staff election pages: who may see and change them, and what the forms do."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from elections.models import BallotOption, Contest, Election, ElectionStation
from elections.tests.factories import BallotOptionFactory, ContestFactory, ElectionFactory

pytestmark = pytest.mark.usefixtures("geography")

BASE = "/az/staff/elections/"


@pytest.fixture
def option():
    return BallotOptionFactory(ballot_number=1, name_az="Elvin Məmmədov")


def pages(option):
    contest = option.contest
    election = contest.election
    read = [BASE, f"{BASE}{election.pk}/", f"{BASE}contests/{contest.pk}/"]
    write = [
        f"{BASE}new/",
        f"{BASE}{election.pk}/edit/",
        f"{BASE}{election.pk}/contests/new/",
        f"{BASE}contests/{contest.pk}/options/new/",
        f"{BASE}options/{option.pk}/edit/",
    ]
    return read, write


@pytest.mark.parametrize(
    ("role", "may_view", "may_change"),
    [
        (Role.ADMINISTRATOR, True, True),
        (Role.COORDINATOR, True, True),
        (Role.ANALYST, True, False),
        (Role.LAWYER, False, False),
        (Role.DOCUMENTATION_OFFICER, False, False),
        (Role.PROGRAMME_OFFICER, False, False),
    ],
)
def test_each_role_opens_exactly_the_pages_its_permissions_allow(
    client, option, role, may_view, may_change
):
    client.force_login(make_staff(role))
    read, write = pages(option)
    for url in read:
        assert client.get(url).status_code == (200 if may_view else 403), url
    for url in write:
        assert client.get(url).status_code == (200 if may_change else 403), url


@pytest.mark.parametrize("role", [Role.ANALYST, Role.LAWYER, Role.PROGRAMME_OFFICER])
def test_roles_that_may_not_change_elections_cannot_post(client, option, role):
    client.force_login(make_staff(role))
    election = option.contest.election
    assert client.post(f"{BASE}{election.pk}/stations/add/").status_code == 403
    assert client.post(f"{BASE}options/{option.pk}/remove/").status_code == 403
    assert not ElectionStation.objects.exists() and BallotOption.objects.exists()


def test_a_citizen_is_refused_and_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(BASE).status_code == 302
    client.force_login(UserFactory())
    assert client.get(BASE).status_code == 403


def test_the_list_shows_elections_with_their_counts(client, option):
    client.force_login(make_staff(Role.ANALYST))
    html = client.get(BASE).content.decode()
    assert option.contest.election.name_az in html


def test_a_coordinator_creates_an_election_and_sees_its_page(client):
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(
        f"{BASE}new/",
        {
            "kind": "parliamentary",
            "name_az": "2026 parlament seçkiləri",
            "election_date": "2026-11-01",
            "rounds": 1,
            "current_round": 1,
            "status": "draft",
        },
    )
    election = Election.objects.get()
    assert response.status_code == 302 and response.url == f"{BASE}{election.pk}/"
    assert "2026 parlament seçkiləri" in client.get(response.url).content.decode()


def test_the_buttons_add_every_station_and_a_contest_per_constituency(client):
    election = ElectionFactory(kind=Election.Kind.PARLIAMENTARY)
    client.force_login(make_staff(Role.COORDINATOR))
    client.post(f"{BASE}{election.pk}/stations/add/", {"region": "", "constituency": ""})
    client.post(f"{BASE}{election.pk}/contests/per-constituency/")
    assert ElectionStation.objects.filter(election=election).count() == 5
    assert Contest.objects.filter(election=election).count() == 3
    html = client.get(f"{BASE}{election.pk}/").content.decode()
    assert "Nəsimi seçki dairəsi" in html


def test_a_constituency_contest_without_a_constituency_shows_the_error(client):
    election = ElectionFactory(kind=Election.Kind.PARLIAMENTARY)
    client.force_login(make_staff(Role.COORDINATOR))
    response = client.post(
        f"{BASE}{election.pk}/contests/new/", {"kind": "constituency", "round": 1}
    )
    assert response.status_code == 200
    assert "field--error" in response.content.decode()
    assert not Contest.objects.exists()


def test_ballot_options_are_added_edited_and_removed(client):
    contest = ContestFactory()
    client.force_login(make_staff(Role.ADMINISTRATOR))
    url = f"{BASE}contests/{contest.pk}/options/new/"
    client.post(url, {"kind": "candidate", "name_az": "Aynur Quliyeva", "party": "Demo Party A"})
    option = BallotOption.objects.get()
    assert option.ballot_number == 1
    duplicate = client.post(url, {"kind": "candidate", "name_az": "Rəşad", "ballot_number": 1})
    assert duplicate.status_code == 200 and BallotOption.objects.count() == 1
    client.post(
        f"{BASE}options/{option.pk}/edit/",
        {"kind": "candidate", "name_az": "Aynur Quliyeva", "ballot_number": 3},
    )
    option.refresh_from_db()
    assert option.ballot_number == 3 and option.party == ""
    client.post(f"{BASE}options/{option.pk}/remove/")
    assert not BallotOption.objects.exists()


def test_the_elections_programme_links_to_the_elections_page(client):
    client.force_login(make_staff(Role.ANALYST))
    html = client.get("/az/staff/programmes/elections/").content.decode()
    assert f'href="{BASE}"' in html
