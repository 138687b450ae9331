"""Citizens may register; they must confirm their email address before they can sign in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail

from accounts.models import User
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

SIGNUP = "/en/accounts/signup/"
NEW_PASSWORD = "a-long-new-passphrase"


def _sign_up(client, email="leyla@example.org"):
    return client.post(
        SIGNUP, {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def test_signup_page_has_labelled_fields(client):
    html = client.get(SIGNUP).content.decode()
    for field in ("id_email", "id_password1", "id_password2"):
        assert f'<label for="{field}">' in html


def test_citizen_registers_and_must_confirm_the_email_first(client):
    response = _sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    user = User.objects.get(email="leyla@example.org")
    assert not user.is_staff_member
    assert not EmailAddress.objects.get(user=user).verified
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.for_object(user).filter(action="create").exists()

    response = client.post("/en/accounts/login/", {"login": user.email, "password": NEW_PASSWORD})
    assert SESSION_KEY not in client.session  # unconfirmed: not signed in

    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified
    client.post("/en/accounts/login/", {"login": user.email, "password": NEW_PASSWORD})
    assert client.session[SESSION_KEY] == str(user.pk)


def test_signup_with_a_taken_email_writes_nothing(client):
    UserFactory(email="taken@example.org")
    count = User.objects.count()
    response = _sign_up(client, email="Taken@Example.org")
    # allauth does not reveal that the address is taken: it answers as for a new one, and
    # creates no second account.
    assert User.objects.count() == count
    assert response.status_code in (200, 302)


def test_a_weak_password_is_refused_with_a_message(client):
    response = client.post(
        SIGNUP, {"email": "ali@example.org", "password1": "12345", "password2": "12345"}
    )
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    assert not User.objects.filter(email="ali@example.org").exists()
