"""No letter is lost (issue 11 item 9): 20 citizens write 200 letters, each with a small PNG, to
a live gunicorn on PostgreSQL over HTTP, as a browser does (GET the form for the CSRF cookie and
its hidden inputs, then a multipart POST to `<mailbox>/write/`). Once mid-run the gunicorn master
is killed with SIGKILL, and its workers with it, as the service manager does (killed alone, the
master leaves its sync workers serving as long as requests keep coming: they look for their
parent only when idle); then it is started again. A citizen whose request fails on the
connection sends it again. Every acknowledged 查询码 must exist exactly once with its attachment
on disk, and no answer may be a 5xx outside the restart window.

A resubmission after a success whose answer was lost creates a second letter: the protocol
(no idempotency key in the form) cannot tell it from a new one. The test counts those
duplicates, checks that each came from such a resubmission, and prints the figures.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import pytest

from bench.letters import small_png

from .stack import available, topology, wait_for

pytestmark = [
    pytest.mark.topology,
    pytest.mark.skipif(
        not available(), reason="needs root and Debian's postgresql, redis-server and nginx"
    ),
]

PNG = small_png()
WRITERS, LETTERS, KILL_AFTER = 20, 200, 60  # the master dies once 60 letters are acknowledged
GRACE = 2.0  # seconds after the restarted server first answers that still count as the window

WORLD = """
import json
import os
from interaction.models import MailboxPage
from tests.factories import provision
portal = provision("www", "portal")
box = MailboxPage.objects.descendant_of(portal.home_page).get()
print(json.dumps({"host": portal.site.hostname, "path": box.get_url_parts()[2]}))
"""


class FormInputs(HTMLParser):
    """The name → value of the write form's hidden inputs and its empty text inputs (the
    honeypot stays empty, as a person leaves it)."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        kind, value = attrs.get("type", "text"), attrs.get("value") or ""
        if tag == "input" and "name" in attrs and (kind == "hidden" or kind == "text"):
            self.values.setdefault(attrs["name"], value if kind == "hidden" else "")


def multipart(fields, files):
    boundary = f"----jiyue{secrets.token_hex(12)}"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content_type, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Run:
    """What the citizens saw, with times on the monotonic clock."""

    acknowledged: dict = field(default_factory=dict)  # letter number → 查询码
    server_errors: list = field(default_factory=list)  # (time, status, request)
    connection_errors: int = 0
    resubmitted_after_post: dict = field(default_factory=dict)  # number → times
    other: list = field(default_factory=list)  # unexpected answers
    lock: threading.Lock = field(default_factory=threading.Lock)


class Citizen:
    """One browser: its own cookies, a fresh connection per request (as after a restart)."""

    def __init__(self, port, host, path):
        self.port, self.host, self.path = port, host, path
        self.cookies = SimpleCookie()

    def request(self, method, path, body=None, content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
            headers["Referer"] = f"http://{self.host}{self.path}write/"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def write(self, number, run):
        """Write letter `number` until it is acknowledged, resending after a lost connection."""
        fields = {
            "category": "consultation",
            "subject": f"无丢失测试第{number:03d}封",
            "content": f"第{number:03d}封来信：人民路小区门口道路一下雨就积水，请尽快处理。",
            "name": "王五",
            "phone": f"139{number:08d}",
            "email": "",
            "wants_public": "1",
        }
        posted = False
        for attempt in range(60):
            if attempt:
                time.sleep(min(0.2 * 2**attempt, 2.0))
            try:
                status, page = self.request("GET", f"{self.path}write/")
                if status >= 500:
                    self._server_error(run, status, "GET")
                    continue
                assert status == 200, f"the write form answered {status}"
                inputs = FormInputs()
                inputs.feed(page)
                body, content_type = multipart(
                    {**inputs.values, **fields},
                    {"attachments": (f"现场{number:03d}.png", "image/png", PNG)},
                )
                posted = True
                status, page = self.request("POST", f"{self.path}write/", body, content_type)
            except (OSError, http.client.HTTPException):
                with run.lock:
                    run.connection_errors += 1
                    if posted:
                        run.resubmitted_after_post[number] = (
                            run.resubmitted_after_post.get(number, 0) + 1
                        )
                continue
            if status >= 500:
                self._server_error(run, status, "POST")
                continue
            code = re.search(r"<output data-query-code>(\d+)</output>", page)
            with run.lock:
                if status == 200 and code:
                    run.acknowledged[number] = code.group(1)
                else:
                    run.other.append((number, status, page[:500]))
            return
        raise AssertionError(f"letter {number} was never acknowledged")

    def _server_error(self, run, status, what):
        with run.lock:
            run.server_errors.append((time.monotonic(), status, what))


def children(pid):
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def port_is_free(port):
    with contextlib.closing(socket.socket()) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def sql(stack, query, *params):
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as connection:
        return connection.execute(query, params).fetchall()


def test_no_acknowledged_letter_is_lost_when_the_server_dies(tmp_path_factory, capsys):
    with topology(tmp_path_factory.mktemp("letters")) as stack:
        world = json.loads(stack.manage("shell", "-c", WORLD).strip().splitlines()[-1])
        # the rate limits would stop 200 letters from one address: off (0) for this run
        stack.env = {**stack.env, "LETTER_CLIENT_PER_HOUR": "0", "LETTER_PHONE_PER_DAY": "0"}
        port = stack.start_app("app")
        run, numbers = Run(), iter(range(LETTERS))
        take = threading.Lock()

        def citizen():
            person = Citizen(port, world["host"], world["path"])
            while True:
                with take:
                    number = next(numbers, None)
                if number is None:
                    return
                person.write(number, run)

        started = time.monotonic()
        threads = [threading.Thread(target=citizen) for _ in range(WRITERS)]
        for thread in threads:
            thread.start()
        wait_for(
            lambda: len(run.acknowledged) >= KILL_AFTER or run.other,
            "the first letters",
            timeout=600,
            log=lambda: stack.log("app")[-3000:],
        )
        assert run.other == [], f"{run.other[:2]}\n{stack.log('app')[-3000:]}"
        killed_at, acknowledged_before = time.monotonic(), len(run.acknowledged)
        workers = children(stack.processes["app"].pid)
        stack.kill("app")  # SIGKILL to the master …
        for pid in workers:  # … and to its workers, as the service manager does after it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        wait_for(lambda: port_is_free(port), "the old workers to let go of the port")
        stack.start_app("app")
        back_at = time.monotonic()
        for thread in threads:
            thread.join(timeout=900)
        finished = time.monotonic()

        letters = sql(stack, "SELECT id, query_code, subject FROM interaction_letter")
        attachments = sql(stack, "SELECT letter_id, file FROM interaction_letterattachment")
        media = Path(stack.env["MEDIA_ROOT"])
        on_disk = {path.relative_to(media).as_posix() for path in media.rglob("*.png")}

    by_code = {code: (pk, subject) for pk, code, subject in letters}
    files = {}
    for letter_id, name in attachments:
        files.setdefault(letter_id, []).append(name)
    subjects = {}
    for _pk, _code, subject in letters:
        subjects[subject] = subjects.get(subject, 0) + 1
    duplicates = {subject: count - 1 for subject, count in subjects.items() if count > 1}
    outside = [error for error in run.server_errors if not killed_at <= error[0] <= back_at + GRACE]
    orphans = on_disk - {name for names in files.values() for name in names}
    with capsys.disabled():
        print(
            f"\n  {LETTERS} letters with a PNG from {WRITERS} threads to gunicorn (2 workers) on "
            f"PostgreSQL: {acknowledged_before / (killed_at - started):.1f} letters/s before "
            f"the kill, {LETTERS / (finished - started):.1f} letters/s overall; master killed "
            f"after {acknowledged_before} acknowledged, serving again after "
            f"{back_at - killed_at:.1f} s; {run.connection_errors} connection errors, "
            f"{len(run.resubmitted_after_post)} letters resent after their POST had gone out, "
            f"{sum(duplicates.values())} duplicates from resending, {len(run.server_errors)} "
            f"5xx (all in the restart window: {not outside}), {len(orphans)} attachment files "
            f"without a letter"
        )
    assert run.other == [], run.other[:3]
    assert len(run.acknowledged) == LETTERS
    codes = list(run.acknowledged.values())
    assert len(set(codes)) == LETTERS
    for number, code in run.acknowledged.items():
        assert code in by_code, f"acknowledged letter {number} ({code}) is not in the database"
        pk, subject = by_code[code]
        assert subject == f"无丢失测试第{number:03d}封"
        [name] = files.get(pk, [None])
        assert name in on_disk and (media / name).read_bytes() == PNG, name
    assert outside == [], outside[:5]
    assert len(letters) == LETTERS + sum(duplicates.values())
    resent = {f"无丢失测试第{number:03d}封" for number in run.resubmitted_after_post}
    assert set(duplicates) <= resent, "a duplicate that no resubmission explains"
