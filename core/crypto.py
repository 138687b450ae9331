"""Encryption of sensitive values at rest (two-factor secrets now; case data later).

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. Keys come from FIELD_ENCRYPTION_KEYS
(comma-separated Fernet keys, newest first, so old keys can be rotated out); without it a key is
derived from SECRET_KEY, which is fine for a laptop but means rotating SECRET_KEY loses the data.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "enc1:"


class DecryptionError(Exception):
    pass


@cache
def _fernet() -> MultiFernet:
    configured = [key.strip() for key in settings.FIELD_ENCRYPTION_KEYS if key.strip()]
    if not configured:
        digest = hashlib.sha256(f"birlik-field-encryption:{settings.SECRET_KEY}".encode()).digest()
        configured = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key.encode()) for key in configured])


def encrypt_text(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt_text(stored: str) -> str:
    if not stored.startswith(PREFIX):
        # Written before encryption was switched on; re-encrypted on the next write.
        return stored
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("cannot decrypt: wrong or missing FIELD_ENCRYPTION_KEYS") from error


def reset_key_cache() -> None:
    _fernet.cache_clear()
