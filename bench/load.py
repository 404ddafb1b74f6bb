"""A production server to measure, and the HTTP load to measure it with.

`gunicorn()` starts the project under gunicorn on a free local port and stops it afterwards.
`load()` drives one URL from several threads, each over its own HTTP/1.1 connection (reopened
whenever the server closes it, as gunicorn's sync workers do after every response), and
returns requests per second and latency percentiles.
"""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, log_path, workers=2):
    """Yield the port of a gunicorn serving config.wsgi with `env`, once it answers /healthz."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log
        )
    try:
        _wait_until_healthy(process, port, log_path)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_healthy(process, port, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError):
            if get(port, "localhost", "/healthz").status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not become healthy; its log:\n{Path(log_path).read_text()}")


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


def get(port, host, path):
    """One GET on a fresh connection, without compression: the body as the server sends it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return Response(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


@dataclass
class LoadResult:
    requests: int
    failures: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self):
        return self.requests / self.seconds


def load(port, host, path, connections, seconds):
    """GET `path` on `host` from `connections` threads for `seconds`; every answer must be 200."""
    latencies, failures = [], []
    deadline = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while (start := time.perf_counter()) < deadline:
                try:
                    connection.request("GET", path, headers={"Host": host})
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    failures.append(type(error).__name__)
                    connection.close()  # the next request reconnects
                    continue
                latencies.append(time.perf_counter() - start)
                if response.status != 200:
                    failures.append(response.status)
        finally:
            connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        failures=len(failures),
        seconds=elapsed,
        p50_ms=_percentile(latencies, 50) * 1000,
        p99_ms=_percentile(latencies, 99) * 1000,
    )


def _percentile(ordered, percent):
    return ordered[min(len(ordered) - 1, len(ordered) * percent // 100)]
