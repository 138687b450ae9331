"""People and roles in the staff area: list, create with an invitation, change roles and
details, deactivate. Bad input is explained on the form and writes nothing."""

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def administrator(client):
    user = make_staff(Role.ADMINISTRATOR, email="admin@example.org")
    client.force_login(user)
    return user


def _new_person(**overrides):
    data = {
        "email": "samir@example.org",
        "full_name": "Samir Huseynov",
        "phone": "",
        "preferred_language": "en",
        "roles": [Role.COORDINATOR],
    }
    data.update(overrides)
    return data


def test_list_shows_roles_and_whether_two_factor_is_set(client, administrator):
    make_staff(Role.LAWYER, email="lawyer@example.org", full_name="Lala Lawyer")
    make_staff(Role.ANALYST, email="analyst@example.org", full_name="Anar Analyst", with_totp=False)
    response = client.get("/en/staff/users/?role=staff")
    html = response.content.decode()
    people = {person.email: person for person in response.context["page"].object_list}
    assert people["lawyer@example.org"].has_totp
    assert not people["analyst@example.org"].has_totp
    assert "Lawyer" in html and "Analyst" in html
    assert "Not set up" in html


def test_list_filters_by_role_and_search(client, administrator):
    make_staff(Role.LAWYER, email="lawyer@example.org")
    UserFactory(email="citizen@example.org")
    emails = lambda query: {  # noqa: E731
        person.email for person in client.get("/en/staff/users/" + query).context["page"]
    }
    assert emails("?role=lawyer") == {"lawyer@example.org"}
    assert emails("?role=none") == {"citizen@example.org"}
    assert emails("?q=citizen") == {"citizen@example.org"}


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_administrator_creates_a_staff_member_who_gets_an_invitation(
    client, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/staff/users/new/", _new_person())
    samir = User.objects.get(email="samir@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/en/staff/users/{samir.pk}/"
    assert samir.role_names == [Role.COORDINATOR]
    assert mail.outbox[-1].to == ["samir@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body
    assert AuditEntry.objects.for_object(samir).filter(action="create").exists()


def test_duplicate_email_is_shown_on_the_form_and_nothing_is_written(client, administrator):
    UserFactory(email="samir@example.org")
    users, entries = User.objects.count(), AuditEntry.objects.count()
    response = client.post("/en/staff/users/new/", _new_person(email="SAMIR@example.org"))
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "A user with this email address already exists."
    ]
    assert 'class="field__error"' in response.content.decode()
    assert (User.objects.count(), AuditEntry.objects.count()) == (users, entries)


def test_unknown_role_is_shown_on_the_form_and_nothing_is_written(client, administrator):
    users, entries = User.objects.count(), AuditEntry.objects.count()
    response = client.post("/en/staff/users/new/", _new_person(roles=["superhero"]))
    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    assert (User.objects.count(), AuditEntry.objects.count()) == (users, entries)


def test_a_staff_member_needs_at_least_one_role(client, administrator):
    response = client.post("/en/staff/users/new/", _new_person(roles=[]))
    assert "Choose at least one role for a staff member." in response.content.decode()
    assert not User.objects.filter(email="samir@example.org").exists()


def test_administrator_changes_roles(client, administrator):
    lawyer = make_staff(Role.LAWYER)
    response = client.post(
        f"/en/staff/users/{lawyer.pk}/roles/",
        {"roles-roles": [Role.DOCUMENTATION_OFFICER, Role.LAWYER]},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=lawyer.pk).role_names == [Role.DOCUMENTATION_OFFICER, Role.LAWYER]
    entry = AuditEntry.objects.for_object(lawyer).get(action="update")
    assert entry.changes == {"roles": [["lawyer"], ["documentation_officer", "lawyer"]]}
    assert entry.actor == administrator


def test_the_last_administrator_cannot_remove_their_own_role(client, administrator):
    response = client.post(
        f"/en/staff/users/{administrator.pk}/roles/", {"roles-roles": [Role.ANALYST]}
    )
    assert response.status_code == 400
    assert "At least one active administrator must remain" in response.content.decode()
    assert User.objects.get(pk=administrator.pk).role_names == [Role.ADMINISTRATOR]


def test_administrator_changes_details(client, administrator):
    person = make_staff(Role.ANALYST, full_name="Old Name")
    response = client.post(
        f"/en/staff/users/{person.pk}/details/",
        {
            "profile-full_name": "New Name",
            "profile-phone": "+994 50 123 45 67",
            "profile-preferred_language": "ru",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.preferred_language) == ("New Name", "ru")


def test_bad_phone_number_is_explained(client, administrator):
    person = make_staff(Role.ANALYST)
    response = client.post(
        f"/en/staff/users/{person.pk}/details/",
        {"profile-full_name": "X", "profile-phone": "call me", "profile-preferred_language": "az"},
    )
    assert response.status_code == 400
    assert "Enter a phone number" in response.content.decode()


def test_deactivation_asks_first_then_deactivates(client, administrator):
    analyst = make_staff(Role.ANALYST)
    page = client.get(f"/en/staff/users/{analyst.pk}/deactivate/")
    assert page.status_code == 200
    assert User.objects.get(pk=analyst.pk).is_active

    response = client.post(f"/en/staff/users/{analyst.pk}/deactivate/")
    assert response.status_code == 302
    assert not User.objects.get(pk=analyst.pk).is_active
    assert (
        AuditEntry.objects.for_object(analyst)
        .filter(action="update", changes={"is_active": [True, False]})
        .exists()
    )


def test_deactivated_staff_member_is_signed_out_at_the_next_request(client, administrator):
    from django.test import Client

    analyst = make_staff(Role.ANALYST)
    their_browser = Client()
    their_browser.force_login(analyst)
    assert their_browser.get("/en/staff/").status_code == 200
    client.post(f"/en/staff/users/{analyst.pk}/deactivate/")
    assert their_browser.get("/en/staff/").status_code == 302


def test_administrator_cannot_deactivate_themselves(client, administrator):
    make_staff(Role.ADMINISTRATOR)
    response = client.post(f"/en/staff/users/{administrator.pk}/deactivate/")
    assert response.status_code == 400
    assert "You cannot deactivate your own account." in response.content.decode()
    assert User.objects.get(pk=administrator.pk).is_active


def test_reactivation(client, administrator):
    analyst = make_staff(Role.ANALYST)
    client.post(f"/en/staff/users/{analyst.pk}/deactivate/")
    client.post(f"/en/staff/users/{analyst.pk}/reactivate/")
    assert User.objects.get(pk=analyst.pk).is_active


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_invitation_can_be_sent_again(client, administrator, django_capture_on_commit_callbacks):
    client.post("/en/staff/users/new/", _new_person())
    samir = User.objects.get(email="samir@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/staff/users/{samir.pk}/invite/")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["samir@example.org"]


def test_writes_need_post(client, administrator):
    analyst = make_staff(Role.ANALYST)
    assert client.get(f"/en/staff/users/{analyst.pk}/roles/").status_code == 405
    assert client.get(f"/en/staff/users/{analyst.pk}/reactivate/").status_code == 405
