"""Automatic redaction (去标识化) of a letter before publication: find the personal data in a text.

`find(text, names)` proposes masks — spans with a kind — for 18-digit ID numbers (with their
check digit), mobile and landline numbers, e-mail addresses, bank card numbers (Luhn), licence
plates, detailed street addresses and the writer's name. Staff see the proposals, add or remove
masks, and only `apply(text, masks)` is ever published; the original never is.

Near-misses are left alone on purpose: 发文字号 (〔2026〕12号), dates, 12345 and other service
numbers, amounts, postcodes, ticket numbers, and 18-digit numbers whose check digit is wrong.
"""

import re
from dataclasses import dataclass

KIND_LABELS = {
    "id_number": "身份证号",
    "mobile": "手机号码",
    "landline": "电话号码",
    "email": "电子邮箱",
    "bank_card": "银行卡号",
    "plate": "车牌号",
    "address": "详细地址",
    "name": "姓名",
}

_NOT_DIGIT_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_DIGIT_AFTER = r"(?![0-9A-Za-z])"

ID_NUMBER = re.compile(
    _NOT_DIGIT_BEFORE + r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]" + _NOT_DIGIT_AFTER
)
MOBILE = re.compile(
    _NOT_DIGIT_BEFORE + r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}" + _NOT_DIGIT_AFTER
)
LANDLINE = re.compile(
    _NOT_DIGIT_BEFORE + r"(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[- ]?)[2-9]\d{6,7}"
    r"(?:[-转]\d{1,5})?" + _NOT_DIGIT_AFTER
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
BANK_CARD = re.compile(
    _NOT_DIGIT_BEFORE + r"[1-9]\d{3}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?" + _NOT_DIGIT_AFTER
)
PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
    r"[A-HJ-NP-Z][·•]?(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警]|[DF][A-HJ-NP-Z0-9]{5}"
    r"|[A-HJ-NP-Z0-9]{5}[DF])" + _NOT_DIGIT_AFTER
)
_NUMBER = r"[0-9一二三四五六七八九十百零]+"
ADDRESS = re.compile(
    r"[\u4e00-\u9fa5A-Za-z0-9]{0,12}?"
    r"(?:"
    rf"(?:路|街|大道|大街|巷|弄|胡同){_NUMBER}号(?:院)?"
    rf"(?:{_NUMBER}(?:号楼|栋|幢|座))?(?:{_NUMBER}单元)?(?:{_NUMBER}(?:室|号房|户))?"
    r"|"
    rf"(?:小区|花园|公寓|新村|家园|苑|村){_NUMBER}(?:号楼|栋|幢|座|组)"
    rf"(?:{_NUMBER}单元)?(?:{_NUMBER}(?:室|号|户))?"
    r")"
)
# Words before an address that belong to the sentence, not to the address (我家住…, 位于…).
_ADDRESS_LEAD = re.compile(
    r"^(?:我们|我|本人|他|她)?家?(?:居住在|住在|住于|位于|住|在|地址[为是]?)?[：:]?"
)

# Issuer prefixes of the cards in use in China: UnionPay 62, Visa 4, Mastercard 5, JCB 35,
# American Express 37. ID numbers begin with a region code (11–65) and never pass as a card.
CARD_PREFIXES = ("62", "4", "5", "35", "37")

CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


@dataclass(frozen=True, order=True)
class Mask:
    start: int
    end: int
    kind: str

    def text(self, source):
        return source[self.start : self.end]


def id_number_is_valid(number):
    total = sum(
        int(digit) * weight for digit, weight in zip(number[:17], CHECK_WEIGHTS, strict=True)
    )
    return CHECK_CHARACTERS[total % 11] == number[17].upper()


def luhn_is_valid(digits):
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(text):
    return re.sub(r"\D", "", text)


def find(text, names=()):
    """Proposed masks, sorted, not overlapping (the earlier and longer one wins)."""
    found = []
    for match in ID_NUMBER.finditer(text):
        if id_number_is_valid(match.group()):
            found.append(Mask(match.start(), match.end(), "id_number"))
    for match in BANK_CARD.finditer(text):
        digits = _digits(match.group())
        if 16 <= len(digits) <= 19 and digits.startswith(CARD_PREFIXES) and luhn_is_valid(digits):
            found.append(Mask(match.start(), match.end(), "bank_card"))
    for pattern, kind in (
        (MOBILE, "mobile"),
        (LANDLINE, "landline"),
        (EMAIL, "email"),
        (PLATE, "plate"),
    ):
        found.extend(Mask(m.start(), m.end(), kind) for m in pattern.finditer(text))
    for match in ADDRESS.finditer(text):
        lead = _ADDRESS_LEAD.match(match.group())
        start = match.start() + (lead.end() if lead else 0)
        found.append(Mask(start, match.end(), "address"))
    for name in {name.strip() for name in names if name and len(name.strip()) >= 2}:
        found.extend(Mask(m.start(), m.end(), "name") for m in re.finditer(re.escape(name), text))
    return _without_overlaps(found)


def _without_overlaps(masks):
    kept = []
    for mask in sorted(masks, key=lambda mask: (mask.start, -(mask.end - mask.start))):
        if kept and mask.start < kept[-1].end:
            continue
        kept.append(mask)
    return kept


def apply(text, masks):
    """The text as published: each mask replaced by its label, e.g. 【手机号码】."""
    parts, position = [], 0
    for mask in sorted(masks):
        parts.append(text[position : mask.start])
        parts.append(f"【{KIND_LABELS[mask.kind]}】")
        position = mask.end
    parts.append(text[position:])
    return "".join(parts)
