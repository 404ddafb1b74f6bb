"""Writing a letter through a mailbox page, as a browser does: the receipt shown once and mailed,
a Chinese message per bad field with nothing stored, the honeypot and the rate limits."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone

from interaction.models import Letter, LetterAttachment
from interaction.public.limits import client_key
from interaction.public.phones import normalise_phone
from interaction.submission import find_for_writer
from tests.conftest import module_world

from .public import FORM, get, image, pdf, post, post_letter, text_file, url
from .world import build_mail_world, write

mail_world = module_world(build_mail_world)
pytestmark = pytest.mark.django_db


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def text(response):
    return response.content.decode()


def between(page, start, end):
    """The text of `page` from `start` up to the next `end`."""
    begin = page.index(start) + len(start)
    return page[begin : page.index(end, begin)]


@pytest.fixture
def browser():
    """A client that enforces CSRF as a browser meets it."""
    return Client(enforce_csrf_checks=True)


def test_a_letter_is_stored_and_its_receipt_shown_once_and_mailed(
    mail_world, browser, django_capture_on_commit_callbacks
):
    mailbox = mail_world["portal_mailbox"]
    get(Client(), mailbox, "write")  # another visitor's page must not be served from a cache
    with django_capture_on_commit_callbacks(execute=True):
        response = post_letter(browser, mailbox, files=[image(), pdf()])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    page = text(response)
    code = between(page, "<output data-query-code>", "</output>")
    password = between(page, "<output data-query-password>", "</output>")
    letter = find_for_writer(code, password)
    assert letter is not None and letter.mailbox_id == mailbox.pk
    assert password not in letter.query_password  # stored hashed only
    assert (letter.phone, letter.category, letter.wants_public) == (
        "13912345678",
        "complaint",
        True,
    )
    assert letter.client_hash == client_key(RequestFactory().get("/"))
    attachments = LetterAttachment.objects.filter(letter=letter).order_by("pk")
    assert [(a.content_type, a.extension) for a in attachments] == [
        ("image/png", ".png"),
        ("application/pdf", ".pdf"),
    ]
    assert len(stored_files()) == 2
    assert "已同时发送到您的电子邮箱" in page

    [receipt] = mail.outbox
    assert receipt.to == ["writer@example.com"]
    assert code in receipt.body and password in receipt.body
    assert f"{mailbox.full_url}query/" in receipt.body

    again = get(browser, mailbox, "write")
    assert code not in text(again) and password not in text(again)


def test_without_an_email_nothing_is_mailed_and_the_receipt_says_nothing_of_mail(
    mail_world, browser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_letter(browser, mail_world["a_mailbox"], email="")
    assert "data-query-password" in text(response)
    assert "已同时发送到您的电子邮箱" not in text(response)
    assert mail.outbox == []


def test_a_post_without_the_csrf_token_is_refused(mail_world, browser):
    response = post(browser, mail_world["portal_mailbox"], "write", FORM)
    assert response.status_code == 403
    assert not Letter.objects.exists()


BAD_INPUT = {
    "phone": ({"phone": "12345678"}, "phone", "请填写正确的联系电话"),
    "content too short": ({"content": "太短了"}, "content", "内容至少 10 个字"),
    "content too long": ({"content": "字" * 2001}, "content", "内容不能超过 2000 个字"),
    "category not offered": ({"category": "praise"}, "category", "请从列出的类型中选择"),
    "no category": ({"category": ""}, "category", "请选择信件类型"),
    "subject too long": ({"subject": "长" * 101}, "subject", "标题不能超过 100 个字"),
    "no subject": ({"subject": "  "}, "subject", "请填写标题"),
    "no name": ({"name": ""}, "name", "请填写姓名"),
    "email": ({"email": "not-an-address"}, "email", "请填写正确的电子邮箱"),
    "no consent answer": ({"wants_public": ""}, "wants_public", "请选择是否同意公开"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_named_on_its_field_and_nothing_is_stored(mail_world, browser, case):
    fields, name, message = BAD_INPUT[case]
    response = post_letter(browser, mail_world["portal_mailbox"], files=[image()], **fields)
    assert response.status_code == 200
    page = text(response)
    assert "提交未成功，请修改以下内容" in page
    assert message in between(page, f'id="id_{name}_error">', "</ul>")
    anchor = f"id_{name}_0" if name in ("category", "wants_public") else f"id_{name}"
    assert f'<a href="#{anchor}">{message}' in page
    if anchor == f"id_{name}":
        assert f'aria-describedby="id_{name}_helptext id_{name}_error"' in page or (
            f'aria-describedby="id_{name}_error"' in page
        )
        assert 'aria-invalid="true"' in page
    else:
        assert f'aria-describedby="id_{name}_error"' in page  # on the fieldset
    assert not Letter.objects.exists()
    assert stored_files() == []


def damaged_png():
    content = b"\x89PNG\r\n\x1a\n" + b"not really an image" * 3
    return SimpleUploadedFile("照片.png", content, content_type="image/png")


BAD_FILES = {
    "a PNG renamed .pdf": (lambda: [image("材料.pdf")], "的内容是PNG 图片，与文件扩展名不符"),
    "HTML renamed .pdf": (
        lambda: [text_file("材料.pdf", "<html><script>alert(1)</script></html>")],
        "的内容不是 JPG、PNG 图片或 PDF 文件",
    ),
    "an HTML file": (lambda: [text_file("page.html", "<html></html>")], "不能上传"),
    "a damaged image": (lambda: [damaged_png()], "图片已损坏或无法识别"),
    "a truncated PDF": (lambda: [text_file("a.pdf", "%PDF-1.4\n1 0 obj")], "不是完整的 PDF"),
    "too many files": (lambda: [image(f"{n}.png") for n in range(4)], "最多可上传 3 个附件"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_attachments_are_refused_by_their_content(mail_world, browser, case):
    files, message = BAD_FILES[case]
    response = post_letter(browser, mail_world["portal_mailbox"], files=files())
    assert message in between(text(response), 'id="id_attachments_error">', "</ul>")
    assert not Letter.objects.exists()
    assert stored_files() == []


def test_a_file_over_the_size_limit_is_refused(mail_world, browser, settings):
    settings.LETTER_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    response = post_letter(
        browser, mail_world["portal_mailbox"], files=[pdf("大文件.pdf", padding=2 * 1024 * 1024)]
    )
    assert "“大文件.pdf”超过 2 MB" in text(response)
    assert not Letter.objects.exists()
    assert stored_files() == []


def test_a_jpeg_and_a_pdf_within_the_limits_are_kept(mail_world, browser):
    files = [image("照片.JPG", "JPEG"), pdf(), image("图.jpeg", "JPEG")]
    response = post_letter(browser, mail_world["portal_mailbox"], files=files)
    assert "data-query-code" in text(response)
    letter = Letter.objects.get()
    assert sorted(letter.attachments.values_list("original_name", "extension")) == [
        ("图.jpeg", ".jpg"),
        ("材料.pdf", ".pdf"),
        ("照片.JPG", ".jpg"),
    ]
    assert len(stored_files()) == 3


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("13912345678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("１３９１２３４５６７８", "13912345678"),
        ("0799-1234567", "0799-1234567"),
        ("(0799)1234567", "0799-1234567"),
        ("07991234567", "0799-1234567"),
        ("010 12345678", "010-12345678"),
        ("021-87654321", "021-87654321"),
    ],
)
def test_phone_numbers_are_written_one_way(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12912345678", "1391234567", "139123456789", "0799-123", "799-1234567", "电话", ""]
)
def test_what_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(Exception, match="请填写正确的联系电话"):
        normalise_phone(typed)


def test_confidentiality_is_kept_for_reports_only(mail_world, browser):
    mailbox = mail_world["portal_mailbox"]
    post_letter(browser, mailbox, category="report", confidential="on")
    post_letter(browser, mailbox, category="complaint", confidential="on", phone="13800000000")
    assert dict(Letter.objects.values_list("category", "confidential")) == {
        "report": True,
        "complaint": False,
    }


def test_the_honeypot_filled_refuses_the_letter(mail_world, browser):
    page = text(get(browser, mail_world["portal_mailbox"], "write"))
    assert 'class="form-trap" aria-hidden="true"' in page
    assert 'name="homepage" autocomplete="off" tabindex="-1"' in page
    response = post_letter(browser, mail_world["portal_mailbox"], homepage="http://spam.example")
    assert "请将“请勿填写此项”留空" in text(response)
    assert not Letter.objects.exists()


def retry_text(received_at, window):
    retry = timezone.localtime(received_at + window + timedelta(seconds=59))
    return f"{retry:%Y-%m-%d %H:%M}"


def test_one_client_may_send_only_so_many_letters_an_hour(mail_world, browser, settings):
    settings.LETTER_RATE_LIMITS = {"client_per_hour": 2, "phone_per_day": 0}
    mailbox = mail_world["portal_mailbox"]
    key = client_key(RequestFactory().get("/"))  # the test client's address
    now = timezone.now()
    write(mailbox, client_hash=key, now=now - timedelta(hours=2), phone="13800000001")
    first = write(mailbox, client_hash=key, now=now - timedelta(minutes=50), phone="13800000002")
    write(mailbox, client_hash=key, now=now - timedelta(minutes=10), phone="13800000003")
    response = post_letter(browser, mailbox, files=[image()])
    assert response.status_code == 429
    expected = retry_text(first.letter.received_at, timedelta(hours=1))
    assert f"同一网络 1 小时内最多可提交 2 封信件，请于 {expected} 后再试。" in text(response)
    assert Letter.objects.count() == 3
    assert len(stored_files()) == 0


def test_one_phone_may_send_only_so_many_letters_a_day(mail_world, browser, settings):
    settings.LETTER_RATE_LIMITS = {"client_per_hour": 0, "phone_per_day": 1}
    mailbox = mail_world["a_mailbox"]
    earlier = write(mailbox, phone="13912345678", now=timezone.now() - timedelta(hours=5))
    refused = post_letter(browser, mailbox, phone="139 1234 5678")
    assert refused.status_code == 429
    expected = retry_text(earlier.letter.received_at, timedelta(hours=24))
    assert f"同一联系电话 24 小时内最多可提交 1 封信件，请于 {expected} 后再试。" in text(refused)
    assert Letter.objects.count() == 1
    accepted = post_letter(browser, mailbox, phone="0799-1234567")
    assert "data-query-code" in text(accepted)


def test_the_write_page_works_without_javascript_and_is_not_cached(mail_world):
    response = get(Client(), mail_world["b_mailbox"], "write")
    page = text(response)
    assert 'enctype="multipart/form-data" novalidate' in page
    assert "<legend>信件类型</legend>" in page and "<legend>是否同意公开</legend>" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "private" in response["Cache-Control"]
    assert url(mail_world["b_mailbox"], "write").endswith("/write/")
