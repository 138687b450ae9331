"""The public page a badge's QR code opens: valid or not, and nothing more."""

import pytest

from elections.models import Election
from observers.models import Observer
from observers.tests.factories import ObserverFactory
from observers.views import VERIFY_RATE_LIMIT

S = Observer.Status


@pytest.fixture
def observer(election, geography):
    return ObserverFactory(
        election=election,
        accredited=True,
        number=1042,
        full_name="Gülnarə Şükürova",
        phone="+994551234567",
        email="gulnare@example.org",
        station=geography["stations"]["12-034"],
        status=S.DEPLOYED,
    )


def url(code: str, language: str = "en") -> str:
    return f"/{language}/observe/verify/{code}/"


def main(response) -> str:
    """The page's own content, without the site's header and footer."""
    html = response.content.decode()
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_valid_badge_shows_the_name_number_and_election_only(client, observer):
    response = client.get(url(observer.badge_code))
    assert response.status_code == 200
    content = main(response)
    assert "This badge is valid." in content
    assert "Gülnarə Şükürova" in content and "1042" in content and "Municipal election" in content
    for private in ("+994551234567", "551234567", "gulnare@example.org", "1990", "12-034"):
        assert private not in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_an_accredited_observer_not_yet_deployed_has_a_valid_badge(client, observer):
    Observer.objects.filter(pk=observer.pk).update(status=S.ACCREDITED, station=None)
    assert "This badge is valid." in main(client.get(url(observer.badge_code)))


def test_the_page_speaks_the_language_of_the_address(client, observer):
    assert "Муниципальные выборы" in main(client.get(url(observer.badge_code, "ru")))
    assert "Bələdiyyə seçkiləri" in main(client.get(url(observer.badge_code, "az")))


@pytest.mark.parametrize("case", ["unknown", "rejected", "closed", "too long"])
def test_an_invalid_badge_says_not_valid_and_nothing_else(client, observer, case):
    code = observer.badge_code
    if case == "unknown":
        code = "x" * 32
    elif case == "rejected":
        Observer.objects.filter(pk=observer.pk).update(status=S.REJECTED)
    elif case == "closed":
        Election.objects.filter(pk=observer.election_id).update(status=Election.Status.CLOSED)
    else:
        code = observer.badge_code + "extra"
    response = client.get(url(code))
    assert response.status_code == 200
    content = main(response)
    assert "This badge is not valid." in content
    assert "Gülnarə" not in content and "1042" not in content and "Municipal" not in content


def test_unknown_and_revoked_badges_get_the_same_page(client, observer):
    unknown = main(client.get(url("y" * 32)))
    Observer.objects.filter(pk=observer.pk).update(status=S.REJECTED)
    revoked = main(client.get(url(observer.badge_code)))
    assert unknown == revoked


def test_checks_are_rate_limited_per_address(client, observer):
    for _check in range(VERIFY_RATE_LIMIT):
        assert client.get(url("z" * 32)).status_code == 200
    response = client.get(url(observer.badge_code))
    assert response.status_code == 429
    assert "Too many badges have been checked" in response.content.decode()
    assert "Gülnarə" not in response.content.decode()
    assert client.get(url(observer.badge_code), REMOTE_ADDR="203.0.113.9").status_code == 200
