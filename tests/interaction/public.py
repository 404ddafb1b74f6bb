"""Helpers for the public side of the mailboxes: addresses on the mailbox's own host, writing a
letter as a browser does (GET for the CSRF cookie and the hidden inputs, then a multipart POST),
test files, and carrying a letter to publication through interaction.actions."""

import io
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from interaction.actions import perform

from .world import write

FORM = {
    "category": "complaint",
    "subject": "小区门口道路长期积水",
    "content": "人民路88号小区门口道路一下雨就积水，老人孩子出行很不方便，请尽快处理。",
    "name": "李四海",
    "phone": "139 1234 5678",
    "email": "writer@example.com",
    "wants_public": "1",
}


def host(mailbox):
    return mailbox.get_site().hostname


def url(mailbox, route="index", *args):
    return f"{mailbox.get_url_parts()[2]}{mailbox.reverse_subpage(route, args=args)}"


def get(client, mailbox, route="index", *args, data=None, **headers):
    return client.get(
        url(mailbox, route, *args), data or {}, headers={"host": host(mailbox), **headers}
    )


def post(client, mailbox, route, data):
    return client.post(url(mailbox, route), data, headers={"host": host(mailbox)})


class HiddenInputs(HTMLParser):
    """The name → value of every hidden input and of every empty text input (the honeypot)."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        kind, value = attrs.get("type"), attrs.get("value") or ""
        if (
            tag == "input"
            and "name" in attrs
            and (kind == "hidden" or (kind == "text" and not value))
        ):
            self.values.setdefault(attrs["name"], value)


def hidden_inputs(response):
    parser = HiddenInputs()
    parser.feed(response.content.decode())
    return parser.values


def post_letter(client, mailbox, files=(), **fields):
    """Write a letter through the page: the form's hidden inputs copied, `fields` over FORM."""
    form = get(client, mailbox, "write")
    assert form.status_code == 200
    data = {
        **{name: "" for name in FORM},
        **hidden_inputs(form),
        **FORM,
        **fields,
        "attachments": list(files),
    }
    data = {name: value for name, value in data.items() if value is not None}
    return post(client, mailbox, "write", data)


def image(name="photo.png", image_format="PNG", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="材料.pdf", padding=0):
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + b" " * padding + b"\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def text_file(name, content):
    return SimpleUploadedFile(name, content.encode(), content_type="application/pdf")


def publish(world, key="portal", **letter):
    """A letter to `key`'s mailbox, answered directly by its dispatcher, approved and
    published; returns (letter, receipt)."""
    users = world["users"]
    receipt = write(world[f"{key}_mailbox"], **letter)
    found = receipt.letter
    perform(found, "reply_directly", user=users[(key, "dispatcher")], reply="已安排疏通排水管道。")
    perform(found, "approve_reply", user=users[(key, "reviewer")])
    perform(found, "publish", user=users[(key, "dispatcher")])
    found.refresh_from_db()
    return found, receipt
