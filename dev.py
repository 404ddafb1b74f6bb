#!/usr/bin/env python3
"""The two README commands, with nothing but Python 3.11 on the machine.

python3 dev.py demo   set up the virtualenv, migrate SQLite, provision the demo cluster, then run
                      the server, task worker, scheduler and a mail catcher (Ctrl+C stops all)
python3 dev.py test   set up the virtualenv and run the whole test suite (extra args go to pytest)
"""

import hashlib
import os
import signal
import subprocess
import sys
import time
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


DEV_ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
DEMO_PROCESSES = {
    "server": ["runserver", "127.0.0.1:8000"],
    "worker": ["run_worker", "--queue-name", "*"],
    "scheduler": ["run_scheduler"],
    "mail catcher": ["mail_catcher"],
}


def manage(*args):
    run([PYTHON, "manage.py", *args], env=DEV_ENV)


def demo():
    ensure_virtualenv()
    manage("migrate", "--no-input", "-v", "0")
    manage("setup_demo")
    # Ctrl+C, or a TERM from whoever started the demo, stops every process of it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop_on_signal)
    processes = {
        name: subprocess.Popen([str(PYTHON), "manage.py", *args], cwd=ROOT, env=DEV_ENV)
        for name, args in DEMO_PROCESSES.items()
    }
    print(
        "\nServing on http://localhost:8000/ with the task worker, the scheduler and a mail"
        " catcher on 127.0.0.1:1025 (messages print here and are kept in var/mail/)."
        " Ctrl+C stops all of them.",
        flush=True,
    )
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        stopped = [name for name, process in processes.items() if process.poll() is not None]
        print(f"\nStopped on its own: {', '.join(stopped)}; stopping the rest.", flush=True)
        stop_all(processes.values())
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop_all(processes.values())


def stop_on_signal(signum, frame):
    raise KeyboardInterrupt


def stop_all(processes):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()


def test(pytest_args):
    """Everything, or what the arguments select.

    Without arguments the browser tests run in a second serial session: their live server
    needs committed data, so they flush the database, which no test after them may see. The
    topology test (PostgreSQL, Redis, nginx and several app servers, root only) runs last, alone.
    """
    ensure_virtualenv()
    pytest = [str(PYTHON), "-m", "pytest"]
    if pytest_args:
        sys.exit(subprocess.run([*pytest, *pytest_args], cwd=ROOT).returncode)
    unit = subprocess.run([*pytest, "-m", "not browser and not topology"], cwd=ROOT).returncode
    browser = subprocess.run([*pytest, "-m", "browser", "-n", "0"], cwd=ROOT).returncode
    topology = subprocess.run([*pytest, "-m", "topology", "-n", "0"], cwd=ROOT).returncode
    sys.exit(unit or browser or topology)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "demo":
        demo()
    elif command == "test":
        test(rest)
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)
