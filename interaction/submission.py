"""Writing a letter: one transaction, files written first and removed if it fails, so an
acknowledged letter always exists with its attachments and a failed one leaves nothing."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from difflib import SequenceMatcher

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from . import deadlines
from .models import Letter, LetterAttachment, LetterEvent, Stage
from .workflow import State

PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
DUPLICATE_SIMILARITY = 0.85


@dataclass(frozen=True)
class Upload:
    """A checked attachment: its bytes, the type read from its content, and its name."""

    content: bytes
    content_type: str
    extension: str
    name: str


@dataclass(frozen=True)
class Receipt:
    letter: Letter
    query_code: str
    password: str  # shown once, never stored in clear


def submit(mailbox, *, uploads=(), client_hash="", now=None, **fields):
    """Store a letter with its attachments; returns the Receipt (only after commit)."""
    now = now or timezone.now()
    written = [(upload, _write(upload, now)) for upload in uploads]
    try:
        for _attempt in range(5):
            try:
                return _store(mailbox, fields, written, client_hash, now)
            except IntegrityError:
                continue  # the random 查询码 was taken: draw again
        raise IntegrityError("no free query code after 5 draws")
    except BaseException:
        for _upload, path in written:
            default_storage.delete(path)
        raise


def _write(upload, now):
    token = secrets.token_hex(16)
    path = f"letters/{now:%Y/%m}/{token}{upload.extension}"

    return default_storage.save(path, ContentFile(upload.content))


def _store(mailbox, fields, written, client_hash, now):
    password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(8))
    code = f"{secrets.randbelow(10**10):010d}"
    with transaction.atomic():
        letter = Letter.objects.create(
            mailbox=mailbox,
            query_code=code,
            query_password=password_digest(code, password),
            received_at=now,
            client_hash=client_hash,
            state=State.RECEIVED,
            **fields,
        )
        for upload, path in written:
            LetterAttachment.objects.create(
                letter=letter,
                token=path.rsplit("/", 1)[-1].split(".")[0],
                extension=upload.extension,
                file=path,
                original_name=upload.name[:200],
                content_type=upload.content_type,
                size=len(upload.content),
            )
        LetterEvent.objects.create(
            letter=letter,
            transition="submit",
            label="来信",
            to_state=State.RECEIVED,
            actor_label="来信人",
            unit=mailbox.unit,
            at=now,
            public=True,
        )
        level = mailbox.unit.level if mailbox.unit else ""
        for stage in Stage:
            deadlines.start(letter, stage, now, level=level)
        _flag_duplicate(letter, now)
    return Receipt(letter, letter.query_code, password)


def _flag_duplicate(letter, now):
    """并单: a near-identical letter from the same phone within LETTER_DUPLICATE_DAYS is marked
    for the dispatcher, who decides; it is never refused."""
    since = now - timedelta(days=settings.LETTER_DUPLICATE_DAYS)
    earlier = Letter.objects.filter(phone=letter.phone, received_at__gte=since).exclude(
        pk=letter.pk
    )
    text = f"{letter.subject}\n{letter.content}"
    for other in earlier.order_by("received_at")[:20]:
        ratio = SequenceMatcher(None, text, f"{other.subject}\n{other.content}").ratio()
        if ratio >= DUPLICATE_SIMILARITY:
            letter.duplicate_of = other
            letter.save(update_fields=["duplicate_of"])
            LetterEvent.objects.create(
                letter=letter,
                transition="flag_duplicate",
                label="疑似重复",
                from_state=letter.state,
                to_state=letter.state,
                actor_label="系统",
                at=now,
                reason=f"与 {other.query_code} 相似度 {ratio:.0%}，请调度人员决定是否并单。",
                data={"original": other.query_code, "similarity": round(ratio, 3)},
            )
            return


def password_digest(query_code, password):
    """The stored form of a query password: keyed with the SECRET_KEY, so a copy of the
    database alone cannot be used to guess passwords. A random 8-character password needs no
    slow hash, and a slow one would cost every submission 0.7 s (PBKDF2, 1,000,000 rounds)."""
    return salted_hmac("interaction.query-password", f"{query_code}:{password}").hexdigest()


def find_for_writer(query_code, password):
    """The letter a 查询码 and password open, or None (the same answer for either mistake)."""
    query_code, password = query_code.strip(), password.strip().upper()
    letter = Letter.objects.filter(query_code=query_code).first()
    expected = letter.query_password if letter else ""
    matches = constant_time_compare(password_digest(query_code, password), expected)
    return letter if letter and matches else None
