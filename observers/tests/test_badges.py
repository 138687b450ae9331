"""Badge PDFs: what is printed, in which language, and who may print them."""

import re

import pytest
from django.test import override_settings

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from observers.badges import badge_content, render_badges
from observers.models import Observer
from observers.tests.factories import ObserverFactory
from observers.tests.pdf_text import pdf_text

BASE = "/en/staff/observers/"
S = Observer.Status


@pytest.fixture
def observer(election):
    return ObserverFactory(
        election=election,
        accredited=True,
        number=1042,
        full_name="Gülnarə Şükürova",
        language="az",
    )


def text_of(pdf: bytes) -> str:
    return "\n".join(pdf_text(pdf))


@override_settings(SITE_URL="https://birlik.example.az/")
def test_a_badge_has_the_name_number_election_organisation_validity_and_check_address(observer):
    content = badge_content(observer)
    assert content.url == f"https://birlik.example.az/az/observe/verify/{observer.badge_code}/"
    pdf = render_badges([content], size="a6", compress=False)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = text_of(pdf)
    assert "Gülnarə Şükürova" in text and "1042" in text
    assert "Birlik" in text and "Bələdiyyə seçkiləri" in text and "2027" in text
    assert content.url in text
    assert observer.phone not in text and "1990" not in text  # no personal details


def test_the_badge_language_is_the_observers_or_the_chosen_one(observer):
    assert badge_content(observer).language == "az"
    english = text_of(render_badges([badge_content(observer, "en")], compress=False))
    assert "Election observer" in english and "Municipal election" in english
    assert "/en/observe/verify/" in english
    assert "Муниципальные выборы" in text_of(
        render_badges([badge_content(observer, "ru")], compress=False)
    )


def test_cards_and_a4_sheets_hold_several_badges(election):
    observers = ObserverFactory.create_batch(11, election=election, accredited=True)
    contents = [badge_content(observer, "en") for observer in observers]
    cards = render_badges(contents, size="card", sheet=True, compress=False)
    assert len(re.findall(rb"/Type /Page\b", cards)) == 2  # ten cards a sheet
    text = text_of(cards)
    assert all(observer.full_name in text for observer in observers)
    a6 = render_badges(contents[:5], size="a6", sheet=True, compress=False)
    assert len(re.findall(rb"/Type /Page\b", a6)) == 2  # four A6 badges a sheet
    single = render_badges(contents[:1], size="card")
    assert single.startswith(b"%PDF-")


def test_a_coordinator_downloads_one_badge_and_it_is_audited(client, observer):
    coordinator = make_staff(Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.get(f"{BASE}{observer.pk}/badge.pdf", {"language": "en", "size": "card"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "badge-1042.pdf" in response["Content-Disposition"]
    entry = AuditEntry.objects.for_object(observer).get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == coordinator and entry.changes["language"] == "en"


def test_only_accredited_and_deployed_observers_have_a_badge(client, election):
    client.force_login(make_staff(Role.COORDINATOR))
    trained = ObserverFactory(election=election, status=S.TRAINED)
    assert client.get(f"{BASE}{trained.pk}/badge.pdf").status_code == 404
    rejected = ObserverFactory(election=election, accredited=True, status=S.REJECTED)
    assert client.get(f"{BASE}{rejected.pk}/badge.pdf").status_code == 404


def test_badges_for_the_chosen_or_the_filtered_observers(client, election):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    first, second = ObserverFactory.create_batch(2, election=election, accredited=True)
    applicant = ObserverFactory(election=election)
    response = client.post(
        f"{BASE}badges/", {"observers": [first.pk, applicant.pk], "language": "en"}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.actor is not None and entry.changes["observer_ids"] == [first.pk]

    response = client.get(f"{BASE}badges/", {"election": election.pk, "size": "card"})
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert sorted(entry.changes["observer_ids"]) == sorted([first.pk, second.pk])


def test_asking_for_badges_of_nobody_with_a_badge_says_so(client, election):
    client.force_login(make_staff(Role.COORDINATOR))
    applicant = ObserverFactory(election=election)
    response = client.post(f"{BASE}badges/", {"observers": [applicant.pk]}, follow=True)
    assert "None of these observers has a badge" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.LAWYER, Role.PROGRAMME_OFFICER])
def test_other_roles_cannot_print_badges(client, observer, role):
    client.force_login(make_staff(role))
    assert client.get(f"{BASE}{observer.pk}/badge.pdf").status_code == 403
    assert client.get(f"{BASE}badges/").status_code == 403
    assert client.post(f"{BASE}badges/", {"observers": [observer.pk]}).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, observer):
    response = client.get(f"{BASE}{observer.pk}/badge.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
