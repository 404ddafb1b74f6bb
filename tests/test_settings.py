"""Production settings are secure by default and fail fast (DESIGN §8).

Each check runs `manage.py` in a fresh interpreter with a clean environment, because the
settings module reads the environment once, at import time.
"""

import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils.crypto import get_random_string

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = [
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "PLATFORM_DOMAIN",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
]


def production_env(tmp_path, **overrides):
    """Only what a production start needs, so no variable of the developer's shell leaks in."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": get_random_string(60, string.ascii_letters + string.digits + "!@#%^&*(-_=+)"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "ALLOWED_HOSTS": "www.example.gov.cn",
        "PLATFORM_DOMAIN": "example.gov.cn",
        "EMAIL_HOST": "smtp.example.gov.cn",
        "DEFAULT_FROM_EMAIL": "江州市政府网站 <noreply@example.gov.cn>",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "?:" not in output
    assert "System check identified no issues" in result.stdout


def test_generated_secret_key_is_long_and_random(tmp_path):
    """The key used above is what the deploy check judges; make sure it is a realistic one."""
    key = production_env(tmp_path)["SECRET_KEY"]
    assert len(key) == 60
    assert len(set(key)) >= 5
    assert production_env(tmp_path)["SECRET_KEY"] != key


@pytest.mark.parametrize("missing", REQUIRED)
def test_missing_variable_stops_start_up(tmp_path, missing):
    result = manage(production_env(tmp_path, **{missing: None}), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr
    for present in set(REQUIRED) - {missing}:
        assert present not in result.stderr.splitlines()[-1]


def test_empty_secret_key_counts_as_missing(tmp_path):
    result = manage(production_env(tmp_path, SECRET_KEY=""), "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
