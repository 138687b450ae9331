import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet

from accounts.roles import Role
from accounts.tests.factories import make_staff
from core import crypto


@pytest.fixture(autouse=True)
def _clear_keys():
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


def test_a_value_round_trips_and_is_not_stored_in_the_clear():
    stored = crypto.encrypt_text("JBSWY3DPEHPK3PXP")
    assert stored.startswith(crypto.PREFIX)
    assert "JBSWY3DPEHPK3PXP" not in stored
    assert crypto.decrypt_text(stored) == "JBSWY3DPEHPK3PXP"


def test_old_keys_still_decrypt_after_rotation(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    stored = crypto.encrypt_text("secret")
    crypto.reset_key_cache()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt_text(stored) == "secret"


def test_a_wrong_key_is_a_clear_error_not_garbage(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    stored = crypto.encrypt_text("secret")
    crypto.reset_key_cache()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(stored)


@pytest.mark.django_db
def test_totp_secrets_are_encrypted_in_the_database():
    user = make_staff(Role.LAWYER)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    stored = authenticator.data["secret"]
    assert stored.startswith(crypto.PREFIX)
    assert user.totp_secret not in stored
    assert crypto.decrypt_text(stored) == user.totp_secret
