"""/healthz for load balancers and monitoring: 200 while the database answers, 503 when not.

The unreachable case runs in a fresh interpreter pointed at a database that cannot be opened,
so the view meets a real connection failure rather than a simulated one.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from sites.archiving import archive_site
from tests.conftest import module_world
from tests.factories import provision

ROOT = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.test import Client

    response = Client().get("/healthz", HTTP_HOST="localhost")
    print(json.dumps({"status_code": response.status_code, "body": response.json()}))
    """
)


def _build():
    provision("www", "portal")
    provision("east")
    provision("west")
    archive_site(provision("old"))


world = module_world(_build)


def _hostname(code):
    return settings.PORTAL_HOSTNAME if code == "www" else f"{code}.{settings.PLATFORM_DOMAIN}"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["www", "east", "west"])
def test_healthz_answers_ok_on_every_host(client, world, code):
    response = client.get("/healthz", HTTP_HOST=_hostname(code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_on_an_archived_sites_host(client, world):
    """Archived sites redirect every public URL, but health checks must still reach the app."""
    assert client.get("/", HTTP_HOST=_hostname("old")).status_code == 301  # positive control
    response = client.get("/healthz", HTTP_HOST=_hostname("old"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def _probe(database_url):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_answers_503_when_database_is_unreachable():
    answer = _probe("sqlite:////nonexistent-dir/x.sqlite3")
    assert answer["status_code"] == 503
    assert answer["body"] == {"status": "unavailable", "database": "unreachable"}


def test_probe_answers_200_with_a_reachable_database(tmp_path):
    """Positive control for the subprocess: same snippet, a database that can be opened."""
    answer = _probe(f"sqlite:///{tmp_path / 'healthz.sqlite3'}")
    assert answer["status_code"] == 200
    assert answer["body"]["status"] == "ok"
