"""Start a throwaway PostgreSQL cluster from Debian's binaries for a benchmark run (root only)."""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile


def available():
    return os.geteuid() == 0 and bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


@contextlib.contextmanager
def throwaway_postgres(port=55433):
    """Yield a DATABASE_URL for a fresh cluster that is stopped and deleted afterwards."""
    bin_dir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    data = tempfile.mkdtemp(prefix="jiyue-bench-pg.")
    shutil.chown(data, "postgres")

    def as_postgres(*command):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command], check=True, stdout=subprocess.DEVNULL
        )

    as_postgres(f"{bin_dir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
    as_postgres(
        f"{bin_dir}/pg_ctl",
        "-D",
        data,
        "-w",
        "-l",
        f"{data}/log",
        "-o",
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
        "start",
    )
    try:
        as_postgres(
            f"{bin_dir}/createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "jiyue_bench",
        )
        yield f"postgres://postgres@127.0.0.1:{port}/jiyue_bench"
    finally:
        as_postgres(f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "stop")
        shutil.rmtree(data, ignore_errors=True)
