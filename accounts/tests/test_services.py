"""People and roles change only through accounts.services, and every change is audited."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from accounts import services
from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def admin_user():
    return make_staff(Role.ADMINISTRATOR, email="admin@example.org")


def _create(actor, **overrides):
    fields = {
        "actor": actor,
        "email": "Nigar.Aliyeva@Example.org",
        "full_name": "Nigar Aliyeva",
        "roles": [Role.LAWYER],
        "phone": "+994 12 345 67 89",
        "preferred_language": "az",
    }
    fields.update(overrides)
    return services.user_create(**fields)


def test_user_create_makes_a_staff_member_and_records_it(admin_user):
    user = _create(admin_user)

    assert user.email == "nigar.aliyeva@example.org"
    assert user.role_names == [Role.LAWYER]
    assert not user.has_usable_password()  # they choose it from the invitation
    assert EmailAddress.objects.get(user=user).verified
    entry = AuditEntry.objects.for_object(user).get(action="create")
    assert entry.actor == admin_user
    assert entry.actor_label == "admin@example.org"
    assert entry.changes["roles"] == ["lawyer"]
    assert entry.changes["email"] == "nigar.aliyeva@example.org"


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_user_create_emails_an_invitation_with_a_working_set_password_link(
    admin_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(admin_user, preferred_language="en")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = next(line for line in message.body.splitlines() if "/password/reset/key/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert path.startswith("en/accounts/")

    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {"password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-new-passphrase")
    # The link works once.
    client.post("/en/accounts/logout/")
    again = client.get("/" + path, follow=True)
    assert again.context["token_fail"] is True
    assert b'name="password1"' not in again.content


@pytest.mark.parametrize("email", ["nigar.aliyeva@example.org", "NIGAR.ALIYEVA@EXAMPLE.ORG"])
def test_duplicate_email_is_refused_and_nothing_is_written(admin_user, email):
    _create(admin_user)
    users, entries = User.objects.count(), AuditEntry.objects.count()

    with pytest.raises(ValidationError) as error:
        _create(admin_user, email=email, full_name="Someone Else")

    assert error.value.message_dict["email"] == ["A user with this email address already exists."]
    assert User.objects.count() == users
    assert AuditEntry.objects.count() == entries


def test_unknown_role_is_refused_and_nothing_is_written(admin_user):
    users, entries = User.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        _create(admin_user, roles=[Role.LAWYER, "superhero"])
    assert error.value.message_dict["roles"] == ["There is no role called superhero."]
    assert User.objects.count() == users
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-address"),
        ("full_name", "  "),
        ("phone", "call me"),
        ("preferred_language", "fr"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_the_field(admin_user, field, value):
    with pytest.raises(ValidationError) as error:
        _create(admin_user, **{field: value})
    assert field in error.value.message_dict
    assert not User.objects.filter(full_name="Nigar Aliyeva").exists()


def test_user_update_records_old_and_new_values(admin_user):
    user = _create(admin_user)
    services.user_update(
        actor=admin_user,
        user=user,
        full_name="Nigar Aliyeva-Mammadova",
        phone="",
        preferred_language="ru",
    )
    entry = AuditEntry.objects.for_object(user).filter(action="update").get()
    assert entry.changes == {
        "full_name": ["Nigar Aliyeva", "Nigar Aliyeva-Mammadova"],
        "phone": ["+994 12 345 67 89", ""],
        "preferred_language": ["az", "ru"],
    }


def test_user_update_without_a_change_writes_nothing(admin_user):
    user = _create(admin_user)
    before = AuditEntry.objects.count()
    services.user_update(
        actor=admin_user,
        user=user,
        full_name=user.full_name,
        phone=user.phone,
        preferred_language="az",
    )
    assert AuditEntry.objects.count() == before


def test_user_set_roles_records_old_and_new_roles(admin_user):
    user = make_staff(Role.LAWYER)
    services.user_set_roles(actor=admin_user, user=user, roles=[Role.ANALYST, Role.COORDINATOR])
    user.refresh_from_db()
    user.forget_cached_roles()
    assert user.role_names == [Role.ANALYST, Role.COORDINATOR]
    entry = AuditEntry.objects.for_object(user).get(action="update")
    assert entry.changes == {"roles": [["lawyer"], ["analyst", "coordinator"]]}
    assert user.has_perm("geo.import_geography")
    assert not user.has_perm("accounts.view_programme_human_rights")


def test_removing_every_role_makes_a_person_not_staff(admin_user):
    user = make_staff(Role.LAWYER)
    services.user_set_roles(actor=admin_user, user=user, roles=[])
    assert not User.objects.get(pk=user.pk).is_staff_member


def test_last_active_administrator_keeps_the_role(admin_user):
    with pytest.raises(ValidationError) as error:
        services.user_set_roles(actor=admin_user, user=admin_user, roles=[Role.LAWYER])
    assert "At least one active administrator must remain" in str(error.value)
    assert User.objects.get(pk=admin_user.pk).role_names == [Role.ADMINISTRATOR]


def test_an_administrator_may_step_down_when_another_remains(admin_user):
    make_staff(Role.ADMINISTRATOR)
    services.user_set_roles(actor=admin_user, user=admin_user, roles=[Role.ANALYST])
    assert User.objects.get(pk=admin_user.pk).role_names == [Role.ANALYST]


def test_user_deactivate_records_it_and_stops_sign_in(admin_user, client):
    user = make_staff(Role.ANALYST)
    services.user_deactivate(actor=admin_user, user=user)
    user.refresh_from_db()
    assert not user.is_active
    entry = AuditEntry.objects.for_object(user).get(action="update")
    assert entry.changes == {"is_active": [True, False]}


def test_nobody_deactivates_their_own_account(admin_user):
    make_staff(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="your own account"):
        services.user_deactivate(actor=admin_user, user=admin_user)
    assert User.objects.get(pk=admin_user.pk).is_active


def test_the_last_active_administrator_cannot_be_deactivated(admin_user):
    root = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError, match="At least one active administrator"):
        services.user_deactivate(actor=root, user=admin_user)


def test_only_a_superuser_may_change_a_superuser(admin_user):
    root = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError, match="Only a superuser"):
        services.user_deactivate(actor=admin_user, user=root)
    with pytest.raises(ValidationError, match="Only a superuser"):
        services.user_set_roles(actor=admin_user, user=root, roles=[Role.LAWYER])
    assert User.objects.get(pk=root.pk).is_active


def test_user_reactivate_records_it(admin_user):
    user = make_staff(Role.ANALYST)
    services.user_deactivate(actor=admin_user, user=user)
    services.user_reactivate(actor=admin_user, user=user)
    assert User.objects.get(pk=user.pk).is_active
    changes = list(
        AuditEntry.objects.for_object(user)
        .filter(action="update")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_invitation_can_be_sent_again_until_a_password_is_chosen(
    admin_user, django_capture_on_commit_callbacks
):
    user = _create(admin_user, send_invitation=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_send_invitation(actor=admin_user, user=user)
    assert len(mail.outbox) == 1
    user.set_password("chosen-by-them-123")
    user.save()
    with pytest.raises(ValidationError, match="already set a password"):
        services.user_send_invitation(actor=admin_user, user=user)
