"""Factories for people. `make_staff(Role.LAWYER)` gives a staff member with that role, enrolled
in two-factor sign-in (pass with_totp=False for one who has not enrolled yet)."""

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role, sync_roles

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def enrol_totp(user: User) -> str:
    """Give the user a TOTP authenticator; returns its secret (for `totp_code(secret)`)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app would show now (offset in 30-second steps)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def make_staff(role: str = Role.COORDINATOR, *, with_totp: bool = True, **fields) -> User:
    """A staff member holding `role`; `user.totp_secret` is set when enrolled."""
    user = UserFactory.create(**fields)
    if not Group.objects.filter(name=role).exists():
        sync_roles()
    user.groups.add(Group.objects.get(name=role))
    user.totp_secret = enrol_totp(user) if with_totp else None
    return user
