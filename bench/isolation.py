"""Benchmark: what isolation costs an admin request.

Provisions a portal and 50 department sites with a few pages, images and documents each, then
times admin screens as one department's 编辑 (editor): with the isolation in place (the object
gate, the filter scoping, the scoped choosers and API), and in the same run with the gate and
filter middleware taken out (the scoped choosers and API stay: they are the listings
themselves), beside a plain Django view of 20 KB. Prints the median per screen and the
ratio with isolation ÷ without, for SQLite and (where it can be had) PostgreSQL.

    .venv/bin/python bench/isolation.py [--requests 60] [--sqlite-only]
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

ISOLATION_MIDDLEWARE = (
    "sites.admin_gate.AdminObjectGateMiddleware",
    "sites.admin_filters.AdminFilterScopeMiddleware",
)
SITES = 50


def worker(requests):
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from sites.models import SiteProfile, SiteRole
    from sites.provisioning import provision_many
    from tests.factories import add_article, add_document, add_image, column, role_users, site_spec

    call_command("migrate", verbosity=0)
    provision_many([site_spec("www", "portal")] + [site_spec(f"d{n:03d}") for n in range(SITES)])
    for profile in SiteProfile.objects.exclude(kind="portal"):
        news = column(profile, "gzdt")
        for number in range(5):
            add_article(news, f"{profile.code}动态{number}")
        add_image(profile, f"{profile.code}图片")
        add_document(profile, f"{profile.code}文件")

    own = SiteProfile.objects.get(code="d000")
    editor = role_users(own)[SiteRole.EDITOR]
    news = column(own, "gzdt")
    article = news.get_children().first()
    screens = {
        "explorer": reverse("wagtailadmin_explore", args=[news.pk]),
        "page edit": reverse("wagtailadmin_pages:edit", args=[article.pk]),
        "page chooser search": reverse("wagtailadmin_choose_page_search") + "?q=动态",
        "image listing": reverse("wagtailimages:index"),
        "images API": reverse("wagtailadmin_api:images:listing"),
        "site history report": reverse("wagtailadmin_reports:site_history"),
    }
    client = Client()
    client.force_login(editor)

    def median_ms(url):
        assert client.get(url).status_code == 200, url
        samples = []
        for _ in range(requests):
            start = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1000

    without = [m for m in settings.MIDDLEWARE if m not in ISOLATION_MIDDLEWARE]
    with override_settings(ROOT_URLCONF="bench.urls"):  # the project's URLs and a plain view
        figures = {"plain": median_ms("/bench/plain/20000")}
        for name, url in screens.items():
            with_isolation = median_ms(url)
            with override_settings(MIDDLEWARE=without):
                without_isolation = median_ms(url)
            figures[name] = (with_isolation, without_isolation)
    print(json.dumps(figures))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.requests)
        return
    from bench.harness import run_on_each_database

    results = run_on_each_database(
        Path(__file__), ["--requests", str(args.requests)], args.sqlite_only
    )
    for database, figures in results.items():
        print(f"\n{database}: median ms as one department's editor, {SITES + 1} sites")
        print(f"  plain Django view: {figures.pop('plain'):.2f}")
        print(f"  {'screen':<22}{'isolated':>10}{'without':>10}{'ratio':>8}")
        for name, (isolated, without) in figures.items():
            print(f"  {name:<22}{isolated:>10.2f}{without:>10.2f}{isolated / without:>8.2f}")


if __name__ == "__main__":
    main()
