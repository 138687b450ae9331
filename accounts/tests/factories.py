"""Factories for people. `make_staff(Role.LAWYER)` gives a staff member with that role, enrolled
in two-factor sign-in (pass with_totp=False for one who has not enrolled yet).
`sign_in(client, user)` goes through the real sign-in pages: password, then the TOTP code."""

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
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
        """Pass verified_email=False for an address the person has not confirmed yet."""
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self,
                email=self.email,
                defaults={"verified": extracted is not False, "primary": True},
            )


def enrol_totp(user: User) -> str:
    """Give the user a TOTP authenticator; returns its secret (for `totp_code(secret)`)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def enrol_recovery_codes(user: User) -> list[str]:
    """Give the user recovery codes (as allauth does on enrolment); returns the unused codes."""
    return RecoveryCodes.activate(user).get_unused_codes()


def totp_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app would show now (offset in 30-second steps)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def wrong_code(secret: str) -> str:
    """A six-digit code that the authenticator accepts at no nearby moment."""
    nearby = {totp_code(secret, offset) for offset in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in nearby)


def make_staff(role: str = Role.COORDINATOR, *, with_totp: bool = True, **fields) -> User:
    """A staff member holding `role`; `user.totp_secret` is set when enrolled."""
    user = UserFactory.create(**fields)
    if not Group.objects.filter(name=role).exists():
        sync_roles()
    user.groups.add(Group.objects.get(name=role))
    user.forget_cached_roles()
    user.totp_secret = enrol_totp(user) if with_totp else None
    return user


def sign_in(client, user: User, *, password: str = PASSWORD, language: str = "en"):
    """Sign in through allauth's pages (password, then the TOTP code if enrolled); returns the
    last response."""
    response = client.post(
        f"/{language}/accounts/login/", {"login": user.email, "password": password}
    )
    secret = getattr(user, "totp_secret", None)
    if secret and response.status_code == 302 and "/2fa/" in response["Location"]:
        response = client.post(response["Location"], {"code": totp_code(secret)})
    return response
