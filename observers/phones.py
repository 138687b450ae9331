"""Phone numbers and ages of observers, in plain Python (no database), shared by the
application form, the services and the file imports."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MINIMUM_AGE = 18
_PHONE_DIGITS = re.compile(r"\d+")


def normalise_phone(value: str) -> str:
    """An Azerbaijani mobile or landline number as +994 and nine digits ("+994501234567").

    Accepts spaces, dashes, brackets, the international prefix written as +994, 00994 or 994,
    and the national form with a leading 0 ("050 123 45 67"); anything else is refused."""
    text = (value or "").strip()
    if re.search(r"[^\d\s()+\-.]", text):
        raise ValidationError(_("Enter a phone number as +994 followed by nine digits."))
    digits = "".join(_PHONE_DIGITS.findall(text))
    if digits.startswith("00994"):
        digits = digits[5:]
    elif digits.startswith("994") and len(digits) == 12:
        digits = digits[3:]
    elif digits.startswith("0") and len(digits) == 10:
        digits = digits[1:]
    if len(digits) != 9 or digits.startswith("0"):
        raise ValidationError(_("Enter a phone number as +994 followed by nine digits."))
    return f"+994{digits}"


def phone_digits(text: str) -> str:
    return "".join(_PHONE_DIGITS.findall(text or ""))


def age_on(birth, day) -> int:
    """Full years between a date of birth and a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
