import pytest
from django.urls import reverse

from tests.factories import provision

pytestmark = pytest.mark.django_db


def directive(response, name):
    policy = response.headers["Content-Security-Policy"]
    return next(part.split()[1:] for part in policy.split("; ") if part.startswith(name + " "))


def test_only_the_admin_allows_inline_scripts_and_styles(client):
    provision("www", "portal")
    admin = client.get(reverse("wagtailadmin_login"))
    public = client.get("/", HTTP_HOST="localhost")
    assert "'unsafe-inline'" in directive(admin, "script-src")
    assert "'unsafe-inline'" in directive(admin, "style-src")
    assert "'unsafe-inline'" not in directive(public, "script-src")
    assert "'unsafe-inline'" not in directive(public, "style-src")
