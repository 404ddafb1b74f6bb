"""Benchmark: public pages of the demo cluster (51 sites, 10,000 documents) under gunicorn.

Builds a SQLite database with the demo cluster (`manage.py setup_demo`) topped up to 10,000
articles and policy documents, spread over every site's news and 政策文件 columns; it is kept in
var/bench/ and reused while the migrations, the lock file, the standards and this script stay the
same (--rebuild forces a new one). Then it serves the project with gunicorn (production settings,
2 sync workers, static files collected and served by WhiteNoise) twice: page cache off (cold)
and on (warm). For the portal home, a department home, a column and a policy document it prints
requests per second and p50/p99 latency, beside a plain Django view answering HTML of the same
size through the same gunicorn and middleware (bench/urls.py): the ratio is the figure that
counts. Last, the gzip -6 size of the portal home's HTML with every CSS and JS file it links.

Each URL gets an untimed warm-up first (so both workers have loaded their templates and, when
warm, cached the page) and is then driven for --seconds from --connections threads.

    .venv/bin/python bench/pages.py [--rebuild] [--seconds 5] [--connections 8]
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import run_worker  # noqa: E402
from bench.load import get, gunicorn, load  # noqa: E402

DOCUMENTS = 10_000
BENCH_DIR = ROOT / "var" / "bench"
NEWS_COLUMNS = ("yw", "gzdt", "zxdt")  # the news column of a portal, department/district, topic
WARM_UP_SECONDS = 0.5
MODES = [("cold", "0"), ("warm", "300")]  # PAGE_CACHE_SECONDS
PORTAL = "localhost"


# --- The database (built in a worker process, cached between runs) -------------------------


def fingerprint():
    """Changes whenever what the built database depends on changes."""
    inputs = sorted(
        [
            *ROOT.glob("*/migrations/*.py"),
            *ROOT.glob("platform/**/*.toml"),
            ROOT / "requirements.lock",
            Path(__file__),
        ]
    )
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def cluster_database(rebuild):
    """The database file and the facts of its build; built first when missing or asked to."""
    database = BENCH_DIR / f"pages-{fingerprint()}.sqlite3"
    facts_file = database.with_suffix(".json")
    if database.exists() and facts_file.exists() and not rebuild:
        return database, {**json.loads(facts_file.read_text()), "reused": True}
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for stale in BENCH_DIR.glob("pages-*"):
        stale.unlink()
    # Built under another name and renamed when complete: an interrupted build leaves no
    # database that a later run would take for finished.
    building = BENCH_DIR / "building.sqlite3"
    building.unlink(missing_ok=True)
    facts = run_worker(__file__, f"sqlite:///{building}", [f"--documents={DOCUMENTS}"])
    building.rename(database)
    facts_file.write_text(json.dumps(facts))
    return database, {**facts, "reused": False}


def worker(documents):
    """Runs in a subprocess whose DATABASE_URL names an empty SQLite file."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("setup_demo", stdout=io.StringIO())
    demo_s = time.perf_counter() - start
    start = time.perf_counter()
    added = top_up(documents)
    top_up_s = time.perf_counter() - start
    print(
        json.dumps(
            {
                "demo_s": demo_s,
                "top_up_s": top_up_s,
                "added": added,
                "documents": documents,
                "policy_path": newest_policy_path("fgw"),
            }
        )
    )


def top_up(documents):
    """Add items until the cluster holds `documents`, spread evenly over every site's news and
    政策文件 columns; one transaction per column. Returns how many were added."""
    from django.db import transaction

    from home.models import ArticlePage, ColumnPage, PolicyDocumentPage
    from sites.models import SiteProfile

    missing = max(0, documents - ArticlePage.objects.count())
    targets = []
    for profile in SiteProfile.objects.select_related("site__root_page").order_by("site_id_code"):
        columns = ColumnPage.objects.descendant_of(profile.site.root_page)
        news = columns.filter(slug__in=NEWS_COLUMNS).order_by("depth", "path").first()
        targets += [
            (profile, news, ArticlePage),
            (profile, columns.get(slug="zcwj"), PolicyDocumentPage),
        ]
    rng = random.Random(documents)
    for number, (profile, column, page_class) in enumerate(targets):
        count = missing // len(targets) + (number < missing % len(targets))
        with transaction.atomic():
            for serial in range(1, count + 1):
                column.add_child(instance=synthetic_item(page_class, profile, rng, serial))
    return missing


def synthetic_item(page_class, profile, rng, serial):
    """An item in the demo content's style, older than the demo's own (which stays on top)."""
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from home.demo_content import SENTENCES, TOPICS, short_name
    from home.models import PolicyDocumentPage
    from sites.standards import load_standards

    short, topic = short_name(profile), rng.choice(TOPICS)
    published = timezone.now() - timedelta(days=30 + serial * 2, hours=rng.randint(0, 23))
    values = {"short": short, "topic": topic, "n": rng.randint(120, 9800), "m": rng.randint(8, 36)}
    paragraphs = [rng.choice(SENTENCES).format(**values) for _ in range(4)]
    fields = {
        "title": f"{short}推进{topic}工作情况（{serial}）",
        "slug": f"bench-{serial}",
        "lead": paragraphs[0],
        "source": profile.sponsor,
        "published_at": published,
        "first_published_at": published,
        "last_published_at": published,
        "body": [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs],
        "live": True,
    }
    if page_class is PolicyDocumentPage:
        fields.update(
            title=f"{short}关于进一步做好{topic}工作的通知（第{serial}号）",
            document_number=f"江{short[:2]}发〔{published.year}〕{100 + serial}号",
            written_date=(published - timedelta(days=7)).date(),
            topic=rng.choice(load_standards().policy_topics),
            effective_date=published.date(),
        )
    return page_class(**fields)


def newest_policy_path(code):
    from home.models import PolicyDocumentPage
    from sites.models import SiteProfile

    home = SiteProfile.objects.get(code=code).site.root_page
    policy = PolicyDocumentPage.objects.descendant_of(home).live().order_by("-published_at")[0]
    return policy.get_url_parts()[2]


# --- Serving and measuring ------------------------------------------------------------------


def base_environment(media_root):
    """What production settings require, set to bench values (the database comes per run)."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "*",
        "PLATFORM_DOMAIN": "localhost",
        "EMAIL_HOST": "127.0.0.1",
        "DEFAULT_FROM_EMAIL": "noreply@localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SITE_PORT": "80",
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
    }


def collect_static(static_root):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity=0"],
        cwd=ROOT,
        env={**os.environ, "STATIC_ROOT": str(static_root), "DATABASE_URL": "sqlite://:memory:"},
        check=True,
    )


def measure(port, host, path, connections, seconds):
    """(body size, whether the page cache answered, page result, plain view result)."""
    first = get(port, host, path)
    if first.status != 200:
        raise SystemExit(f"{host}{path} answered {first.status}, not 200")
    size = len(first.body)
    results = []
    for url in (path, f"/bench/plain/{size}"):
        load(port, host, url, connections, WARM_UP_SECONDS)
        results.append(load(port, host, url, connections, seconds))
    cached = "ETag" in get(port, host, path).headers
    return size, cached, *results


class AssetLinks(HTMLParser):
    """The stylesheets and scripts a page links, in document order."""

    def __init__(self, html):
        super().__init__()
        self.urls = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def transfer_sizes(port):
    """[(what, bytes, gzip -6 bytes)] for the portal home's HTML and every CSS/JS it links."""
    home = get(port, PORTAL, "/")
    rows = [("HTML /", home.body)]
    for url in AssetLinks(home.body.decode()).urls:
        asset = get(port, PORTAL, urlsplit(url).path)
        if asset.status != 200:
            raise SystemExit(f"{url} answered {asset.status}, not 200")
        rows.append((urlsplit(url).path, asset.body))
    return [(what, len(body), len(gzip.compress(body, 6, mtime=0))) for what, body in rows]


# --- Report ---------------------------------------------------------------------------------


def print_setup(facts, database, static_s):
    if facts["reused"]:
        print(f"Database: reused {database.relative_to(ROOT)} (--rebuild builds it again)")
    else:
        print(
            f"Database: built in {facts['demo_s'] + facts['top_up_s']:.1f} s — setup_demo "
            f"{facts['demo_s']:.1f} s, then {facts['added']} items added in "
            f"{facts['top_up_s']:.1f} s ({facts['added'] / facts['top_up_s']:.0f}/s) "
            f"to reach {facts['documents']} documents"
        )
    print(f"collectstatic: {static_s:.1f} s")


def print_results(rows, connections, seconds):
    print(
        f"\ngunicorn, 2 sync workers, {connections} connections, {seconds:g} s per URL; "
        "plain = a Django view answering the same number of bytes"
    )
    print(
        f"{'mode':<6}{'page':<14}{'KB':>7}{'cache':>7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'plain req/s':>13}{'p50 ms':>9}{'p99 ms':>9}{'plain/page req/s':>18}"
    )
    for mode, label, size, cached, page, plain in rows:
        print(
            f"{mode:<6}{label:<14}{size / 1024:>7.1f}{'hit' if cached else 'off':>7}"
            f"{page.per_second:>9.0f}{page.p50_ms:>9.1f}{page.p99_ms:>9.1f}"
            f"{plain.per_second:>13.0f}{plain.p50_ms:>9.1f}{plain.p99_ms:>9.1f}"
            f"{plain.per_second / page.per_second:>18.1f}"
        )
        for result in (page, plain):
            if result.failures:
                print(f"      {result.failures} of the requests above failed")


def print_transfer(sizes):
    print("\nPortal home, what a first visit downloads (gzip -6):")
    for what, raw, compressed in sizes:
        print(f"  {what:<40}{raw / 1024:>9.1f} KB{compressed / 1024:>9.1f} KB gzip")
    total_raw = sum(raw for _, raw, _ in sizes)
    total = sum(compressed for _, _, compressed in sizes)
    print(f"  {'total':<40}{total_raw / 1024:>9.1f} KB{total / 1024:>9.1f} KB gzip")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--documents", type=int, default=DOCUMENTS, help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--seconds", type=float, default=5.0, help="load per URL (default 5)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent (default 8)")
    args = parser.parse_args()
    if args.worker:
        return worker(args.documents)

    os.environ.update(base_environment(BENCH_DIR / "media"))
    database, facts = cluster_database(args.rebuild)
    pages = [
        ("portal home", PORTAL, "/"),
        ("dept. home", "fgw.localhost", "/"),
        ("column", "qhq.localhost", "/gzdt/"),
        ("policy doc.", "fgw.localhost", facts["policy_path"]),
    ]
    rows = []
    with tempfile.TemporaryDirectory(prefix="jiyue-bench-pages.") as tmp:
        start = time.perf_counter()
        collect_static(Path(tmp) / "static")
        print_setup(facts, database, time.perf_counter() - start)
        for mode, cache_seconds in MODES:
            env = {
                "DATABASE_URL": f"sqlite:///{database}",
                "STATIC_ROOT": str(Path(tmp) / "static"),
                "PAGE_CACHE_SECONDS": cache_seconds,
            }
            with gunicorn(env, Path(tmp) / f"gunicorn-{mode}.log") as port:
                if mode == "cold":
                    sizes = transfer_sizes(port)
                for label, host, path in pages:
                    measured = measure(port, host, path, args.connections, args.seconds)
                    rows.append((mode, label, *measured))
    print_results(rows, args.connections, args.seconds)
    print_transfer(sizes)


if __name__ == "__main__":
    main()
