#!/usr/bin/env python3
"""The two README commands, with nothing but Python 3.11 on the machine.

python3 dev.py demo   set up the virtualenv, migrate SQLite, provision the demo cluster, serve it
python3 dev.py test   set up the virtualenv and run the whole test suite (extra args go to pytest)
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".requirements.sha256"


def ensure_virtualenv():
    """Create .venv and install the locked requirements when the lock file changed."""
    if not PYTHON.exists():
        print("Creating virtualenv in .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print("Installing locked requirements …", flush=True)
        run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([PYTHON, "-m", "pip", "install", "--quiet", "-r", LOCK])
        STAMP.write_text(digest)


def run(command, **kwargs):
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True, **kwargs)


def manage(*args):
    run(
        [PYTHON, "manage.py", *args],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
    )


def demo():
    ensure_virtualenv()
    manage("migrate", "--no-input", "-v", "0")
    manage("setup_demo")
    print("\nServing on http://localhost:8000/ (Ctrl+C stops)", flush=True)
    manage("runserver", "127.0.0.1:8000")


def test(pytest_args):
    """Everything, or what the arguments select.

    Without arguments the browser tests run last, in a second serial session: their live server
    needs committed data, so they flush the database, which no test after them may see.
    """
    ensure_virtualenv()
    pytest = [str(PYTHON), "-m", "pytest"]
    if pytest_args:
        sys.exit(subprocess.run([*pytest, *pytest_args], cwd=ROOT).returncode)
    unit = subprocess.run([*pytest, "-m", "not browser"], cwd=ROOT).returncode
    browser = subprocess.run([*pytest, "-m", "browser", "-n", "0"], cwd=ROOT).returncode
    sys.exit(unit or browser)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "demo":
        demo()
    elif command == "test":
        test(rest)
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)
