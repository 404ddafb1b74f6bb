"""Referrer-Policy, Permissions-Policy and Cross-Origin-Opener-Policy on every kind of response
(等保 2.0): pages, the admin, static files, errors, redirects, health checks and feeds."""

import pytest

from tests.factories import provision

pytestmark = pytest.mark.django_db

SURFACES = [
    "/",
    "/search/?q=政策",
    "/robots.txt",
    "/sitemap.xml",
    "/no-such-page/",
    "/healthz",
    "/static/css/site.css",
    "/admin/login/",
    "/admin/",  # a redirect to the login
]


@pytest.mark.parametrize("path", SURFACES)
def test_every_response_carries_the_browser_policies(client, path):
    provision("www", "portal")
    response = client.get(path, HTTP_HOST="www.localhost")
    assert response.status_code in (200, 302, 404), response.status_code
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


def test_the_admin_carries_them_when_signed_in(admin_client):
    response = admin_client.get("/admin/runtime/")
    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
