"""Elder mode (适老化模式): a cookie set by a plain link, rendered by the server on every page."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory

from home.preferences import ELDER_MODE_COOKIE, ELDER_MODE_MAX_AGE, elder_mode
from tests.conftest import module_world
from tests.factories import column, provision

pytestmark = pytest.mark.django_db

SWITCH = "/preferences/elder-mode/"


@module_world
def world():
    return {"portal": provision("www", "portal"), "edu": provision("edu")}


def test_elder_mode_follows_the_cookie():
    requests = RequestFactory()
    assert elder_mode(requests.get("/")) is False
    assert elder_mode(requests.get("/", HTTP_COOKIE=f"{ELDER_MODE_COOKIE}=1")) is True
    assert elder_mode(requests.get("/", HTTP_COOKIE=f"{ELDER_MODE_COOKIE}=yes")) is False


def test_switching_on_sets_a_lasting_cookie_and_goes_back(client, world):
    response = client.get(SWITCH, {"on": "1", "next": "/gzdt/?page=2"}, HTTP_HOST="edu.localhost")
    assert response.status_code == 302
    assert response["Location"] == "/gzdt/?page=2"
    cookie = response.cookies[ELDER_MODE_COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] == ELDER_MODE_MAX_AGE == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]
    assert "private" in response["Cache-Control"]


def test_switching_off_clears_the_cookie(client, world):
    client.cookies[ELDER_MODE_COOKIE] = "1"
    response = client.get(SWITCH, {"on": "0", "next": "/"}, HTTP_HOST="edu.localhost")
    assert response.status_code == 302
    assert response.cookies[ELDER_MODE_COOKIE].value == ""
    assert response.cookies[ELDER_MODE_COOKIE]["max-age"] == 0


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://www.localhost/",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_switch_never_sends_visitors_elsewhere(client, world, target):
    response = client.get(SWITCH, {"on": "1", "next": target}, HTTP_HOST="edu.localhost")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_switch_only_answers_get(client, world):
    response = client.post(SWITCH, {"on": "1", "next": "/"}, HTTP_HOST="edu.localhost")
    assert response.status_code == 405
    assert ELDER_MODE_COOKIE not in response.cookies


def html_of(client, path, host):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_header_link_turns_elder_mode_on_and_it_persists(client, world):
    page = html_of(client, "/gzdt/", "edu.localhost")
    assert "elder" not in (page.html.get("class") or [])
    switch = page.find("a", class_="elder-switch")
    assert switch.get_text() == "长者模式"
    assert switch["href"] == f"{SWITCH}?on=1&next=/gzdt/"

    back = client.get(switch["href"], HTTP_HOST="edu.localhost")
    assert back["Location"] == "/gzdt/"
    for path in ["/gzdt/", "/", column(world["edu"], "tzgg").get_url_parts()[2]]:
        page = html_of(client, path, "edu.localhost")
        assert page.html["class"] == ["elder"], path
        assert page.find("a", class_="elder-switch").get_text() == "退出长者模式"

    off = client.get(page.find("a", class_="elder-switch")["href"], HTTP_HOST="edu.localhost")
    assert off.status_code == 302
    assert "elder" not in (html_of(client, "/", "edu.localhost").html.get("class") or [])


def test_the_switch_returns_to_a_page_with_its_query(client, world):
    page = html_of(client, "/gzdt/?page=1", "edu.localhost")
    assert page.find("a", class_="elder-switch")["href"] == f"{SWITCH}?on=1&next=/gzdt/%3Fpage%3D1"


def test_the_cookie_covers_the_whole_cluster_where_browsers_allow_it(client, world, settings):
    settings.PLATFORM_DOMAIN = "jiangzhou.gov.cn"
    for host in ["edu.jiangzhou.gov.cn", "jiangzhou.gov.cn"]:
        on = client.get(SWITCH, {"on": "1", "next": "/"}, HTTP_HOST=host)
        assert on.cookies[ELDER_MODE_COOKIE]["domain"] == "jiangzhou.gov.cn"
        off = client.get(SWITCH, {"on": "0", "next": "/"}, HTTP_HOST=host)
        assert off.cookies[ELDER_MODE_COOKIE]["domain"] == "jiangzhou.gov.cn"
    elsewhere = client.get(SWITCH, {"on": "1", "next": "/"}, HTTP_HOST="jiangzhou.example")
    assert elsewhere.cookies[ELDER_MODE_COOKIE]["domain"] == ""


def test_a_dotless_platform_domain_keeps_the_cookie_on_its_host(client, world):
    response = client.get(SWITCH, {"on": "1", "next": "/"}, HTTP_HOST="edu.localhost")
    assert response.cookies[ELDER_MODE_COOKIE]["domain"] == ""
