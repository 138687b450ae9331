"""Model fields shared by the apps.

EncryptedTextField keeps a text encrypted at rest (core.crypto: Fernet, rotatable keys): the
database holds "enc1:<token>", the model holds the plain text. The ciphertext changes on every
save, so the column cannot be searched: the only lookups allowed are "is it empty" (exact "")
and isnull, anything else is a FieldError rather than a query that silently finds nothing.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from core.crypto import decrypt_text, encrypt_text


class _EmptyOnlyExact(Exact):
    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted and cannot be searched by its value"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest (not searchable)"

    def get_lookup(self, lookup_name: str):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            # Empty stays empty: "no name given" is not a secret, and it keeps `field=""`
            # (anonymous reports) a working filter.
            return value
        return encrypt_text(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)
