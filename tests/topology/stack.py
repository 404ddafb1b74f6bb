"""The production topology on loopback: PostgreSQL, Redis, nginx, app servers, worker, scheduler.

Every process runs from Debian's binaries or this project with production settings; each logs
to a file in the stack's folder, which a failing assertion can show.
"""

import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.load import free_port, get
from bench.throwaway_postgres import throwaway_postgres

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "jiangzhou.test"

NGINX_CONF = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    gzip on;
    gzip_proxied any;
    gzip_types text/css application/javascript application/json application/xml image/svg+xml;
    upstream app {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 100m;
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


class Stack:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.processes = {}
        self.app_ports = {}

    # --- processes --------------------------------------------------------------------------

    def start(self, name, command, env=None):
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 (lives with the process)
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env or self.env, stdout=log, stderr=log
        )
        return self.processes[name]

    def kill(self, name, sig=signal.SIGKILL):
        process = self.processes.pop(name)
        process.send_signal(sig)
        process.wait(timeout=30)

    def stop_all(self):
        for name in list(self.processes):
            with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
                self.kill(name, signal.SIGTERM)

    def log(self, name):
        path = self.folder / f"{name}.log"
        return path.read_text("utf-8", "replace") if path.exists() else ""

    def manage(self, *args, timeout=600):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )
        return result.stdout

    # --- services ---------------------------------------------------------------------------

    def start_redis(self):
        self.redis_port = getattr(self, "redis_port", None) or free_port()
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            env=os.environ,
        )
        wait_for(lambda: _answers("127.0.0.1", self.redis_port), "redis")

    def start_app(self, name):
        port = self.app_ports.setdefault(name, free_port())
        self.start(
            name,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{port}",
                "--graceful-timeout=5",
            ],
        )
        wait_for(lambda: _healthy(port), f"app server {name}", log=lambda: self.log(name))
        return port

    def start_nginx(self, app_names):
        self.nginx_port = getattr(self, "nginx_port", None) or free_port()
        servers = "\n".join(
            f"        server 127.0.0.1:{self.app_ports[name]} max_fails=1 fail_timeout=10s;"
            for name in app_names
        )
        conf = self.folder / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(folder=self.folder, servers=servers, port=self.nginx_port), "utf-8"
        )
        if "nginx" in self.processes:  # a reload: new workers take the new upstreams
            self.processes["nginx"].send_signal(signal.SIGHUP)
            time.sleep(1)
            return
        self.start("nginx", ["nginx", "-c", str(conf), "-g", "daemon off;"], env=os.environ)
        wait_for(
            lambda: _answers("127.0.0.1", self.nginx_port), "nginx", log=lambda: self.log("nginx")
        )

    def start_worker(self, name="worker"):
        return self.start(
            name,
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--queue-name",
                "*",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
        )

    def start_scheduler(self):
        return self.start(
            "scheduler", [sys.executable, "manage.py", "run_scheduler", "--tick", "1"]
        )

    def through_nginx(self, host, path, **headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.nginx_port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": host, **headers})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def direct(self, name, host, path):
        return get(self.app_ports[name], host, path)


@contextlib.contextmanager
def topology(folder):
    """PostgreSQL and Redis up, the database migrated and static files collected."""
    stack = Stack(folder)
    with throwaway_postgres(port=free_port()) as database_url:
        stack.start_redis()
        stack.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": f".{DOMAIN},127.0.0.1,localhost",
            "PLATFORM_DOMAIN": DOMAIN,
            "PORTAL_HOSTNAME": f"www.{DOMAIN}",
            "SITE_PORT": "80",
            "SECURE_SSL_REDIRECT": "0",  # TLS ends in front of nginx in production
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(free_port()),
            "DEFAULT_FROM_EMAIL": f"noreply@{DOMAIN}",
            "REDIS_URL": f"redis://127.0.0.1:{stack.redis_port}/0",
            "STATIC_ROOT": str(stack.folder / "static"),
            "MEDIA_ROOT": str(stack.folder / "media"),
            "SEARCH_INDEX_PATH": str(stack.folder / "search" / "index.sqlite3"),
            "TASK_WORKER_SILENT_SECONDS": "3",
            "LOG_LEVEL": "WARNING",
        }
        try:
            stack.manage("migrate", "--no-input", "-v", "0")
            stack.manage("collectstatic", "--no-input", "-v", "0")
            yield stack
        finally:
            stack.stop_all()


def available():
    """Root (to run PostgreSQL as its user) and Debian's postgresql, redis-server and nginx."""
    from bench.throwaway_postgres import available as postgres_available

    return postgres_available() and all(shutil.which(name) for name in ("redis-server", "nginx"))


def wait_for(condition, what, timeout=90, log=lambda: "", interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if condition():
                return
        time.sleep(interval)
    raise AssertionError(f"{what} did not come up in {timeout} s\n{log()}")


def _answers(host, port):
    with contextlib.closing(socket.create_connection((host, port), timeout=1)):
        return True


def _healthy(port):
    return get(port, "localhost", "/healthz").status == 200
