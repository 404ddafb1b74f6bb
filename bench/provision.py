"""Benchmark: provisioning time and whether a cluster of 50 sites slows a site's home page.

Prints, for SQLite and (when PostgreSQL can be started here, or BENCH_POSTGRES_URL is set)
PostgreSQL: seconds to provision 1 site, seconds to provision 50 sites in one inventory run,
and the median render time of the same department home page with 1 site present and with 51
present (the ratio is the figure that counts: it should stay near 1).

    .venv/bin/python bench/provision.py [--renders 200] [--sqlite-only]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def worker(renders):
    """Runs inside a subprocess whose DATABASE_URL points at an empty database."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from sites.provisioning import provision_many, provision_site
    from tests.factories import site_spec

    call_command("migrate", verbosity=0)
    client = Client()

    def median_render():
        assert client.get("/", HTTP_HOST="d000.localhost").status_code == 200
        samples = []
        for _ in range(renders):
            start = time.perf_counter()
            client.get("/", HTTP_HOST="d000.localhost")
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    start = time.perf_counter()
    provision_site(site_spec("d000"))
    one_site = time.perf_counter() - start
    render_one = median_render()

    specs = [site_spec(f"d{n:03d}") for n in range(1, 51)]
    start = time.perf_counter()
    provision_many(specs)
    fifty_sites = time.perf_counter() - start
    render_fifty = median_render()

    print(
        json.dumps(
            {
                "one_site_s": one_site,
                "fifty_sites_s": fifty_sites,
                "render_one_ms": render_one * 1000,
                "render_fifty_ms": render_fifty * 1000,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.worker:
        return worker(args.renders)

    from bench.harness import run_on_each_database

    results = run_on_each_database(__file__, ["--renders", str(args.renders)], args.sqlite_only)

    print(
        f"{'database':<12}{'1 site (s)':>12}{'50 sites (s)':>14}{'s/site':>9}"
        f"{'home, 1 site (ms)':>20}{'home, 51 sites (ms)':>22}{'ratio':>8}"
    )
    for name, r in results.items():
        print(
            f"{name:<12}{r['one_site_s']:>12.3f}{r['fifty_sites_s']:>14.2f}"
            f"{r['fifty_sites_s'] / 50:>9.3f}{r['render_one_ms']:>20.2f}"
            f"{r['render_fifty_ms']:>22.2f}{r['render_fifty_ms'] / r['render_one_ms']:>8.2f}"
        )


if __name__ == "__main__":
    main()
