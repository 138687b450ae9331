"""EncryptedTextField: plain text on the model, ciphertext in the database, no searching."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.db import connection, models
from django.test.utils import isolate_apps

from core import crypto
from core.fields import EncryptedTextField


@pytest.fixture(autouse=True)
def _clear_keys():
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


@pytest.fixture
def secret_model():
    """A throw-away model with an encrypted field, in its own app registry and table."""
    with isolate_apps("core"):

        class Secret(models.Model):
            text = EncryptedTextField(blank=True)

            class Meta:
                app_label = "core"
                db_table = "core_test_encrypted_secret"

            def __str__(self) -> str:
                return str(self.pk)

        with connection.schema_editor() as editor:
            editor.create_model(Secret)
        try:
            yield Secret
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Secret)


def _raw(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM core_test_encrypted_secret WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_database_holds_ciphertext_and_the_model_the_text(secret_model):
    row = secret_model.objects.create(text="Leyla Həsənova, +994 50 111 22 33")
    raw = _raw(row.pk)
    assert raw.startswith(crypto.PREFIX)
    assert "Leyla" not in raw and "111" not in raw
    assert secret_model.objects.get(pk=row.pk).text == "Leyla Həsənova, +994 50 111 22 33"
    assert list(secret_model.objects.values_list("text", flat=True)) == [
        "Leyla Həsənova, +994 50 111 22 33"
    ]

    # Empty stays empty (anonymous), and can be filtered on; values cannot.
    empty = secret_model.objects.create(text="")
    assert _raw(empty.pk) == ""
    assert list(secret_model.objects.filter(text="")) == [empty]
    assert list(secret_model.objects.exclude(text="")) == [row]
    with pytest.raises(FieldError):
        list(secret_model.objects.filter(text="Leyla Həsənova, +994 50 111 22 33"))
    with pytest.raises(FieldError):
        list(secret_model.objects.filter(text__icontains="Leyla"))

    # An update writes ciphertext too, and a new one each time.
    secret_model.objects.filter(pk=row.pk).update(text="Another secret")
    assert _raw(row.pk).startswith(crypto.PREFIX) and "Another" not in _raw(row.pk)
    row.refresh_from_db()
    assert row.text == "Another secret"


def test_prep_and_read_round_trip_without_a_database():
    field = EncryptedTextField()
    stored = field.get_prep_value("+994 55 000 00 00")
    assert stored.startswith(crypto.PREFIX) and "000" not in stored
    assert field.get_prep_value("+994 55 000 00 00") != stored  # a fresh token each time
    assert field.from_db_value(stored, None, connection) == "+994 55 000 00 00"
    assert field.get_prep_value("") == "" and field.get_prep_value(None) is None
    assert field.from_db_value(None, None, connection) is None


def test_a_value_written_before_encryption_is_read_as_it_is():
    assert EncryptedTextField().from_db_value("plain old text", None, connection) == (
        "plain old text"
    )


def test_rotated_keys_still_read_old_values(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    stored = EncryptedTextField().get_prep_value("secret")
    crypto.reset_key_cache()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert EncryptedTextField().from_db_value(stored, None, connection) == "secret"


def test_the_field_survives_migrations():
    _name, path, _args, kwargs = EncryptedTextField(blank=True).deconstruct()
    assert path == "core.fields.EncryptedTextField" and kwargs == {"blank": True}
