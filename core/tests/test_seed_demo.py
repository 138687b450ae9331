from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import totp_code
from core.crypto import decrypt_text
from core.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def seed(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", "--stations", "40", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_seeding_twice_changes_nothing_the_second_time():
    seed()
    first = row_counts()
    seed()
    assert row_counts() == first


def test_it_creates_one_enrolled_staff_account_per_role_and_a_citizen():
    output = seed("--no-content")
    for role in Role:
        email = f"{role.value.replace('_', '-')}@demo.birlik.az"
        user = User.objects.get(email=email)
        assert user.role_names == [role.value]
        assert user.check_password(DEMO_PASSWORD)
        assert user.emailaddress_set.get().verified
        assert Authenticator.objects.filter(user=user, type="totp").exists()
        assert email in output
    administrator = User.objects.get(email="administrator@demo.birlik.az")
    assert administrator.is_superuser and administrator.is_staff
    citizen = User.objects.get(email="citizen@demo.birlik.az")
    assert citizen.role_names == [] and not citizen.is_staff_member
    assert DEMO_PASSWORD in output and DEMO_TOTP_SECRET in output


def test_the_printed_details_sign_a_staff_member_in_with_two_factor(client):
    seed("--no-content")
    response = client.post(
        "/en/accounts/login/",
        {"login": "coordinator@demo.birlik.az", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert "/2fa/" in response["Location"]
    response = client.post(response["Location"], {"code": totp_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/en/staff/").status_code == 200


def test_a_second_run_puts_a_changed_password_and_key_back():
    seed("--no-content")
    user = User.objects.get(email="lawyer@demo.birlik.az")
    user.set_password("something-else-entirely")
    user.save()
    Authenticator.objects.filter(user=user, type="totp").update(data={"secret": "AAAAAAAA"})
    seed("--no-content")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    totp = Authenticator.objects.get(user=user, type="totp")
    assert decrypt_text(totp.data["secret"]) == DEMO_TOTP_SECRET


def test_it_refuses_to_run_on_a_production_setup(settings):
    settings.HTTPS = True
    with pytest.raises(CommandError):
        seed("--no-content")
    assert not User.objects.filter(email__endswith="@demo.birlik.az").exists()
