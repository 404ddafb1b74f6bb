"""Driving the staff workbench (/admin/letters/) with the test client."""

import re

from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import PASSWORD


def sign_in(client, user):
    """Sign in through the admin's login form, as staff do."""
    client.logout()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def act(client, letter, name, **fields):
    """POST one transition's form (`fields` without the form prefix), following the redirect:
    `redirect_chain` is empty when the page was shown again with the refusal."""
    data = {f"{name}-{field}": value for field, value in fields.items()}
    return client.post(reverse("letters:act", args=[letter.pk, name]), data, follow=True)


def offered(response):
    """The transitions whose forms a letter's page offers."""
    return set(re.findall(r'/admin/letters/\d+/act/(\w+)/"', response.content.decode()))


def messages_of(response):
    """The messages shown on the (last) page of the response."""
    return [str(message) for message in get_messages(response.wsgi_request)]
