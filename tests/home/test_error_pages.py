"""The 404 and 500 pages: in the branding of the site asked for, and a 500 page that survives a
broken database.

Failures are real: a view of this module's URLconf raises, a table the chrome needs is renamed
away inside the test's transaction, and a gunicorn process runs against a database file that
cannot be opened.
"""

import http.client
import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import path

import config.urls
from config.urls import handler404, handler500  # noqa: F401  (this module is a URLconf too)
from home.translation import translate_portal
from sites.models import SiteProfile
from tests.conftest import module_world
from tests.factories import add_article, column, provision

pytestmark = pytest.mark.django_db

HOSTS = {"www": "localhost", "east": "east.localhost", "west": "west.localhost"}
NOT_FOUND = "抱歉，您访问的页面不存在"
SERVER_ERROR = "抱歉，网站暂时无法处理您的请求"


def boom(request):
    raise RuntimeError("a failure inside a real view")


urlpatterns = [path("boom/", boom), *config.urls.urlpatterns]


def _build():
    world = {code: provision(code, "portal" if code == "www" else "department") for code in HOSTS}
    world["draft"] = add_article(column(world["east"], "gzdt"), "东区草稿", live=False)
    translate_portal()
    return world


world = module_world(_build)


@pytest.fixture
def failing_client(settings):
    """A client that gets the 500 response instead of the view's exception."""
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def footer_identity(profile):
    return [profile.sponsor, profile.site_id_code, profile.icp_number]


def assert_branded_for(html, world, code):
    """The page wears the footer of site `code` and of no other site."""
    for value in footer_identity(world[code]):
        assert value in html, (code, value)
    for other in HOSTS.keys() - {code}:
        assert world[other].site_id_code not in html, (code, other)


@pytest.mark.parametrize("code", ["east", "west"])
def test_an_unknown_address_gets_the_sites_own_404(client, world, code):
    response = client.get("/no-such-page/", HTTP_HOST=HOSTS[code])

    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND in html
    assert '<html lang="zh-hans">' in html
    assert '<a href="/">返回网站首页</a>' in html
    assert 'id="search-q"' in html, "a search box of its own, besides the header's"
    assert f"<title>页面不存在 - {world[code].name}</title>" in html
    assert_branded_for(html, world, code)


def test_a_draft_is_not_found(client, world):
    path_of_draft = world["draft"].get_url_parts()[2]
    response = client.get(path_of_draft, HTTP_HOST=HOSTS["east"])
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_the_english_portal_links_its_404_to_the_english_home(client, world):
    response = client.get("/en/no-such-page/", HTTP_HOST=HOSTS["www"])

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'href="/en/"' in html
    assert_branded_for(html, world, "www")


@pytest.mark.parametrize("code", ["east", "west"])
def test_a_failing_view_gets_the_sites_own_500(failing_client, world, code):
    response = failing_client.get("/boom/", HTTP_HOST=HOSTS[code])

    assert response.status_code == 500
    html = response.content.decode()
    assert SERVER_ERROR in html
    assert '<a href="/">返回网站首页</a>' in html
    assert_branded_for(html, world, code)


def test_the_500_page_survives_a_failing_profile_lookup(failing_client, world):
    table = SiteProfile._meta.db_table
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_gone")

    response = failing_client.get("/boom/", HTTP_HOST=HOSTS["east"])

    assert response.status_code == 500
    html = response.content.decode()
    assert SERVER_ERROR in html
    assert '<html lang="zh-hans">' in html
    assert "site-footer" not in html, "the plain page, without the site's chrome"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server_without_database(tmp_path):
    """gunicorn serving the project with a database file in a directory that does not exist."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/db.sqlite3",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()}")
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(port, path, host):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_the_500_page_renders_when_the_database_is_unreachable(server_without_database):
    status, _ = fetch(server_without_database, "/healthz", "localhost")
    assert status == 503, "the database really is unreachable"

    for host in HOSTS.values():
        status, html = fetch(server_without_database, "/", host)
        assert status == 500
        assert SERVER_ERROR in html
        assert '<a href="/">返回网站首页</a>' in html
