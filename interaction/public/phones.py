"""Chinese phone numbers as writers type them, checked and written one way: a mobile number as
11 digits (13912345678), a landline as area code, hyphen, number (0799-1234567, 010-12345678)."""

import re
import unicodedata

from django.core.exceptions import ValidationError

MOBILE = re.compile(r"1[3-9]\d{9}")
# Area codes: 010 and 02X have three digits, every other one four (0 included).
LANDLINE = re.compile(r"(0(?:10|2\d|[3-9]\d{2}))([1-9]\d{6,7})")
SEPARATORS = re.compile(r"[\s\-()（）—]")

MESSAGE = "请填写正确的联系电话：11位手机号码，或带区号的固定电话（如 0799-1234567）。"


def normalise_phone(text):
    """The number in its one stored form; ValidationError (Chinese) when it is none."""
    digits = SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if MOBILE.fullmatch(digits):
        return digits
    landline = LANDLINE.fullmatch(digits)
    if landline:
        return f"{landline[1]}-{landline[2]}"
    raise ValidationError(MESSAGE, code="phone")
