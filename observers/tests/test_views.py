"""The public application pages under /<lang>/observe/."""

import datetime

import pytest

from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.models import Region
from observers.models import Observer

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def election():
    return ElectionFactory(status=Election.Status.ACTIVE, name_en="Demo parliamentary election")


def form_data(number: int = 0, **overrides):
    data = {
        "full_name": "Rəşad Quliyev",
        "phone": f"+994 50 123 45 {number:02d}",
        "email": "",
        "date_of_birth": "1990-06-01",
        "region": Region.objects.get(code="baki").pk,
        "language": "az",
        "website": "",
    }
    return data | overrides


def test_the_index_lists_only_active_elections(client, election):
    ElectionFactory(status=Election.Status.DRAFT, name_en="A draft election")
    html = client.get("/en/observe/").content.decode()
    assert "Demo parliamentary election" in html and "A draft election" not in html
    assert f"/en/observe/{election.pk}/apply/" in html


def test_the_form_has_labels_csrf_and_a_hidden_bot_trap(client, election):
    client.handler.enforce_csrf_checks = True
    html = client.get(f"/en/observe/{election.pk}/apply/").content.decode()
    assert "csrfmiddlewaretoken" in html
    assert '<label for="id_phone">' in html and '<label for="id_date_of_birth">' in html
    assert 'class="observers-hp"' in html and 'name="website"' in html
    assert "style=" not in html.split("<main", 1)[-1]


def test_an_application_is_saved_and_says_what_happens_next(client, election):
    response = client.post(f"/en/observe/{election.pk}/apply/", form_data(), follow=True)
    assert response.redirect_chain[-1][0] == f"/en/observe/{election.pk}/applied/"
    assert "What happens next" in response.content.decode()
    observer = Observer.objects.get()
    assert observer.phone == "+994501234500" and observer.status == Observer.Status.APPLIED


def test_errors_are_shown_next_to_their_fields(client, election):
    response = client.post(
        f"/en/observe/{election.pk}/apply/",
        form_data(phone="555", date_of_birth=datetime.date.today().isoformat()),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_phone_error"' in html and "+994 followed by nine digits" in html
    assert not Observer.objects.exists()
    response = client.post(
        f"/en/observe/{election.pk}/apply/", form_data(date_of_birth="2015-01-01")
    )
    assert 'id="id_date_of_birth_error"' in response.content.decode()
    assert not Observer.objects.exists()


def test_a_duplicate_phone_is_shown_on_the_phone_field(client, election):
    client.post(f"/en/observe/{election.pk}/apply/", form_data())
    html = client.post(f"/en/observe/{election.pk}/apply/", form_data()).content.decode()
    assert 'id="id_phone_error"' in html and "already applied" in html
    assert Observer.objects.count() == 1


def test_a_filled_bot_trap_is_quietly_dropped(client, election):
    response = client.post(
        f"/en/observe/{election.pk}/apply/", form_data(website="http://spam.example")
    )
    assert response.status_code == 302 and response["Location"].endswith("/applied/")
    assert not Observer.objects.exists()


@pytest.mark.parametrize("status", [Election.Status.DRAFT, Election.Status.CLOSED])
def test_an_election_not_taking_applications_has_no_form(client, status):
    election = ElectionFactory(status=status)
    assert client.get(f"/en/observe/{election.pk}/apply/").status_code == 404
    assert client.post(f"/en/observe/{election.pk}/apply/", form_data()).status_code == 404


def test_more_than_five_applications_an_hour_from_one_address_are_refused(client, election):
    url = f"/en/observe/{election.pk}/apply/"
    for number in range(5):
        assert client.post(url, form_data(number)).status_code == 302
    response = client.post(url, form_data(9))
    assert response.status_code == 429
    assert "Too many applications" in response.content.decode()
    assert Observer.objects.count() == 5
    other = client.post(url, form_data(8), REMOTE_ADDR="203.0.113.7")
    assert other.status_code == 302


def test_the_pages_are_translated(client, election):
    assert "müşahidəçi" in client.get("/az/observe/").content.decode().lower()
    assert "наблюдател" in client.get("/ru/observe/").content.decode().lower()
