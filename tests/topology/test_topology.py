"""Several app servers, proved on loopback (production settings throughout).

PostgreSQL, Redis and nginx from Debian; two gunicorn app servers behind nginx; the task worker
and the scheduler. Shows that a publish on one app server retires the cached page on the other,
that nginx fails over when an app server dies under load, that a worker killed during a batch of
index updates loses none, that a stopped Redis costs speed and never an error, and that nginx
compresses HTML while static files are cached for a year. Prints req/s through nginx with one
and with two app servers.
"""

import gzip
import http.client
import json
import re
import signal
import threading
import time
from binascii import unhexlify
from http.cookies import SimpleCookie
from types import SimpleNamespace
from urllib.parse import urlencode

import psycopg
import pytest
from django_otp.oath import totp

from tests.factories import PASSWORD
from tests.home.test_review_workflow import edit_form as article_form

from .stack import DOMAIN, available, topology, wait_for

pytestmark = [
    pytest.mark.topology,
    pytest.mark.skipif(
        not available(), reason="needs root and Debian's postgresql, redis-server and nginx"
    ),
]

PORTAL = f"www.{DOMAIN}"
DEPARTMENT = f"fgw.{DOMAIN}"
BATCH = 1000
INDEX_CHUNK = 200  # search.indexing.BATCH

WORLD = """
import json
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import PASSWORD, add_article, column, provision
provision("www", "portal")
fgw = provision("fgw")
article = add_article(column(fgw, "gzdt"), "拓扑测试原标题")
admin = get_user_model().objects.create_superuser("topology", "topology@jiangzhou.test", PASSWORD)
device = TOTPDevice.objects.create(user=admin, name="身份验证器", confirmed=True)
path = article.url_path.removeprefix(fgw.home_page.url_path)
print(json.dumps({"article": article.pk, "path": path, "totp_key": device.key}))
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with topology(tmp_path_factory.mktemp("topology")) as stack:
        world = json.loads(stack.manage("shell", "-c", WORLD).strip().splitlines()[-1])
        stack.article_id, stack.article_path = world["article"], "/" + world["path"]
        stack.totp_key = world["totp_key"]
        stack.start_app("a")
        stack.start_app("b")
        stack.start_nginx(["a", "b"])
        stack.start_worker()
        stack.start_scheduler()
        yield stack


def sql(stack, query, *params):
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def retitle_quietly(stack, title):
    """Change the title behind every cache's back (no signal), to tell a cached page."""
    sql(stack, "UPDATE wagtailcore_page SET title = %s WHERE id = %s", title, stack.article_id)


def page_title(body):
    return re.search(rb"<h1[^>]*>(.*?)</h1>", body, re.S).group(1).decode().strip()


class AdminSession:
    """The admin over plain HTTP to one app server, with its (Secure) cookies kept by hand."""

    def __init__(self, port, totp_key):
        self.port, self.totp_key, self.cookies = port, totp_key, SimpleCookie()

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": DEPARTMENT,
            "Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items()),
        }
        body = None
        if fields is not None:
            body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"].value})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def login(self):
        self.request("GET", "/admin/login/")
        status, _ = self.request(
            "POST",
            "/admin/login/",
            {"username": "topology", "password": PASSWORD, "next": "/admin/"},
        )
        assert status == 302 and "sessionid" in self.cookies, "admin login failed"
        # production requires a second factor of platform admins: the authenticator's code
        code = f"{totp(unhexlify(self.totp_key)):06d}"
        status, body = self.request("POST", "/admin/accounts/two-factor/verify/", {"code": code})
        assert status == 302, body[:2000]


def test_nginx_compresses_html_and_static_files_are_cached_for_a_year(stack):
    status, headers, body = stack.through_nginx(PORTAL, "/", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(body)
    assert "测试市www局".encode() in html
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', html).group(1).decode()
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet  # a hashed name
    status, headers, _ = stack.through_nginx(PORTAL, stylesheet, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1)) >= 365 * 86400
    assert headers.get("Content-Encoding") == "gzip"


def test_the_scheduler_hands_its_jobs_to_the_worker(stack):
    wait_for(
        lambda: (
            sql(stack, "SELECT result FROM runtime_jobstate WHERE name = 'publish_scheduled'")
            == [("succeeded",)]
        ),
        "a scheduled run of publish_scheduled",
        log=lambda: stack.log("scheduler") + stack.log("worker"),
    )


def test_a_publish_through_one_app_server_retires_the_cached_page_on_the_other(stack):
    assert page_title(stack.direct("b", DEPARTMENT, stack.article_path).body) == "拓扑测试原标题"
    retitle_quietly(stack, "未经发布的改动")
    cached = stack.direct("b", DEPARTMENT, stack.article_path).body
    assert page_title(cached) == "拓扑测试原标题"  # B answers from the shared cache

    admin = AdminSession(stack.app_ports["a"], stack.totp_key)
    admin.login()
    edit = f"/admin/pages/{stack.article_id}/edit/"
    status, _ = admin.request("GET", edit)
    assert status == 200
    status, body = admin.request("POST", edit, edit_form(stack, "经由A发布的新标题"))
    assert status == 302, body[:2000]

    assert page_title(stack.direct("b", DEPARTMENT, stack.article_path).body) == "经由A发布的新标题"
    _, _, through = stack.through_nginx(DEPARTMENT, stack.article_path)
    assert page_title(through) == "经由A发布的新标题"


def edit_form(stack, title):
    """The article's edit form as the admin posts it, with 发布 pressed."""
    [(slug, published_at)] = sql(
        stack,
        "SELECT slug, published_at FROM wagtailcore_page JOIN home_articlepage "
        "ON page_ptr_id = id WHERE id = %s",
        stack.article_id,
    )
    page = SimpleNamespace(title=title, slug=slug, published_at=published_at)
    return article_form(page, **{"action-publish": "publish"})


def test_nginx_fails_over_when_an_app_server_dies_under_load(stack, capsys):
    two = read_load(stack, seconds=5)
    timeline = read_load(stack, seconds=8, during=lambda: (time.sleep(2), stack.kill("b")))
    one = read_load(stack, seconds=5)
    killed_at = timeline.marks[0]
    failed = [(t, s) for t, s in timeline.answers if s != 200]
    late_errors = [(t, s) for t, s in failed if t > killed_at + 1]
    with capsys.disabled():
        print(
            f"\n  through nginx, portal home (page cache on), 8 connections: "
            f"two app servers {two.per_second:.0f} req/s, one {one.per_second:.0f} req/s; "
            f"app server killed under load: {len(failed)} of {len(timeline.answers)} "
            f"answers not 200"
        )
    assert late_errors == [], late_errors[:10]
    assert two.errors == [] and one.errors == []
    stack.start_app("b")
    stack.start_nginx(["a", "b"])


def test_a_worker_killed_during_a_batch_of_index_updates_loses_none(stack):
    stack.kill("worker", signal.SIGTERM)  # the batch queues up while no worker runs
    stack.manage("shell", "-c", BULK_ARTICLES)
    assert pending_updates(stack) >= BATCH
    stack.start_worker()
    wait_for(  # some chunks (search.indexing.BATCH rows each) are in, the rest are not
        lambda: 0 < pending_updates(stack) <= BATCH - INDEX_CHUNK,
        "the batch of index updates to be under way",
        timeout=120,
        interval=0.01,
    )
    stack.kill("worker")
    assert pending_updates(stack) > 0, "the batch finished before the kill; nothing was proved"
    stack.start_worker()
    wait_for(
        lambda: pending_updates(stack) == 0 and unfinished_tasks(stack) == 0,
        "every index update to land",
        timeout=180,
        log=lambda: stack.log("worker"),
    )
    stack.manage("check_search_index")  # exits 1 on any missing, stale or extra document
    _, _, body = stack.through_nginx(DEPARTMENT, "/api/search?" + urlencode({"q": "拓扑批量"}))
    assert json.loads(body)["total"] == BATCH


def pending_updates(stack):
    return sql(stack, "SELECT count(*) FROM search_pendingindexupdate")[0][0]


def unfinished_tasks(stack):
    return sql(
        stack,
        "SELECT count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE status IN ('READY', 'RUNNING')",
    )[0][0]


BULK_ARTICLES = f"""
from django.db import transaction
from sites.models import SiteProfile
from tests.factories import add_article, column
parent = column(SiteProfile.objects.get(code="fgw"), "gzdt")
with transaction.atomic():
    for number in range({BATCH}):
        add_article(parent, f"拓扑批量稿件第{{number}}号")
"""


def test_with_redis_stopped_pages_render_uncached_and_caching_resumes(stack):
    stack.kill("redis")
    for _ in range(5):
        status, _, body = stack.through_nginx(DEPARTMENT, stack.article_path)
        assert status == 200
    retitle_quietly(stack, "缓存停用时的标题")
    _, _, body = stack.through_nginx(DEPARTMENT, stack.article_path)
    assert page_title(body) == "缓存停用时的标题"  # rendered afresh: no cache
    assert "cache unreachable, serving without it" in stack.log("a") + stack.log("b")

    stack.start_redis()
    stack.through_nginx(DEPARTMENT, stack.article_path)
    stack.through_nginx(DEPARTMENT, stack.article_path)  # both app servers have stored it
    retitle_quietly(stack, "缓存恢复后的改动")
    for _ in range(4):
        _, _, body = stack.through_nginx(DEPARTMENT, stack.article_path)
        assert page_title(body) == "缓存停用时的标题"  # from the cache again


class Load:
    def __init__(self):
        self.answers, self.errors, self.marks = [], [], []
        self.seconds = 0.0

    @property
    def per_second(self):
        return len(self.answers) / self.seconds


def read_load(stack, seconds, connections=8, during=None):
    load = Load()
    began = time.monotonic()
    deadline = began + seconds

    def client():
        while time.monotonic() < deadline:
            try:
                status, _, _ = stack.through_nginx(PORTAL, "/")
            except (OSError, http.client.HTTPException) as error:
                load.errors.append(type(error).__name__)
                status = "error"
            load.answers.append((time.monotonic() - began, status))

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    if during:
        during()
        load.marks.append(time.monotonic() - began)
    for thread in threads:
        thread.join()
    load.seconds = time.monotonic() - began
    return load
