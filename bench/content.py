"""Benchmark: legacy import throughput, and the portal's policy library over a full cluster.

For SQLite and (when PostgreSQL can be started here, or BENCH_POSTGRES_URL is set) PostgreSQL:
provisions a portal and 50 department sites, imports N synthetic policy documents (default
10,000, spread evenly over the 50 sites, one JSONL file per site, through `manage.py
import_content`) and prints the documents imported per second. Then it prints the median render
time of the portal's policy library (政策文件库, /zcwjk/ on host "localhost"): page 1, and page 1
filtered by validity and topic; beside it, in the same process and through the same test client,
middleware and template engine, a plain Django view rendering a template of about the same HTML
size from data in memory. The ratio is what the page costs over the bare framework.

    .venv/bin/python bench/content.py [--documents 10000] [--renders 100] [--sqlite-only]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import types
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SITES = 50
FILTER_TOPIC = "综合政务"
CHINESE_DIGITS = "零一二三四五六七八九"  # 〇 is outside the 发文字号 pattern
BODY = (
    "<div class='TRS_Editor'><p style='text-indent:2em'>各县（区）人民政府，市政府各部门：</p>"
    "<p>为深入贯彻落实党中央、国务院决策部署，进一步{topic}工作，经研究，现就有关事项通知如下。</p>"
    "<h3>一、总体要求</h3><p>坚持以人民为中心的发展思想，统筹发展和安全，健全工作机制，"
    "压实工作责任，确保各项任务落到实处。</p><h3>二、主要任务</h3>"
    "<p>（一）加强组织领导。各单位主要负责同志要亲自抓、负总责。</p>"
    "<p>（二）强化督促检查。对工作推进不力的，予以通报批评。</p>"
    "<table><tr><th>任务</th><th>责任单位</th><th>完成时限</th></tr>"
    "<tr><td>制定实施方案</td><td>各县（区）</td><td>{year}年6月底前</td></tr>"
    "<tr><td>开展专项检查</td><td>市直各部门</td><td>{year}年10月底前</td></tr></table>"
    "<p>本通知自印发之日起施行。</p><script>trackVisit()</script></div>"
)
PLAIN_TEMPLATE = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><header><h1>{{ title }}</h1><nav>
{% for link in links %}<a href="{{ link.url }}">{{ link.title }}</a>{% endfor %}</nav></header>
<main><form method="get">{% for field in fields %}<label>{{ field.label }}
<select name="{{ field.name }}">{% for option in field.options %}
<option value="{{ option }}">{{ option }}</option>{% endfor %}</select></label>{% endfor %}
</form><table><thead><tr><th>索引号</th><th>标题</th><th>发文字号</th><th>发布机构</th>
<th>发布日期</th><th>有效性</th></tr></thead><tbody>{% for row in rows %}<tr>
<td>{{ row.index_number }}</td><td><a href="{{ row.url }}">{{ row.title }}</a></td>
<td>{{ row.document_number }}</td><td>{{ row.organ }}</td>
<td>{{ row.published_at|date:"Y-m-d" }}</td><td>{{ row.validity }}</td></tr>{% endfor %}
</tbody></table></main></body></html>"""


def legacy_host(code):
    return f"www.old-{code}.gov.cn"


def site_lines(site_number, code, count, topics):
    """`count` synthetic policy documents of one site, as import lines."""
    organ = "测" + "".join(CHINESE_DIGITS[int(digit)] for digit in f"{site_number:02d}") + "发"
    for serial in range(1, count + 1):
        published = date(2015, 1, 1) + timedelta(days=(serial * 37 + site_number * 11) % 3800)
        topic = topics[(serial + site_number) % len(topics)]
        validity = "abolished" if serial % 10 == 0 else "expired" if serial % 7 == 0 else "valid"
        yield {
            "type": "policy",
            "column": "zfxxgk/fdzdgknr/zcwj",
            "title": f"关于进一步做好{topic}工作的通知（第{serial}号）",
            "body_html": BODY.format(topic=topic, year=published.year),
            "published_at": f"{published.isoformat()}T09:30:00",
            "legacy_url": f"http://{legacy_host(code)}/art/{published:%Y/%m/%d}/art_{serial}.html",
            "policy": {
                "document_number": f"{organ}〔{published.year}〕{serial}号",
                "written_date": (published - timedelta(days=7)).isoformat(),
                "topic": topic,
                "validity": validity,
            },
        }


def median_ms(client, url, renders, host="localhost"):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(renders):
        start = time.perf_counter()
        client.get(url, HTTP_HOST=host)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, len(response.content)


def plain_view_factory(target_size):
    """A view rendering PLAIN_TEMPLATE with as many rows as make it about `target_size` bytes."""
    from django.http import HttpResponse
    from django.template import engines

    from sites.standards import load_standards

    template = engines["django"].from_string(PLAIN_TEMPLATE)
    row = {
        "index_number": "M00000901/2024-00001",
        "url": "http://d001.localhost/zfxxgk/fdzdgknr/zcwj/guanyujinyibuzuohao/",
        "title": "关于进一步做好综合政务工作的通知（第1号）",
        "document_number": "测零一发〔2024〕1号",
        "organ": "测试市d001局",
        "published_at": date(2024, 2, 1),
        "validity": "有效",
    }
    base = {
        "title": "政策文件库",
        "links": [{"url": f"/column-{n}/", "title": f"栏目{n}"} for n in range(8)],
        "fields": [
            {"label": "主题分类", "name": "topic", "options": load_standards().policy_topics},
            {"label": "有效性", "name": "validity", "options": ["有效", "失效", "废止"]},
        ],
    }

    def size(rows):
        return len(template.render({**base, "rows": [row] * rows}).encode())

    per_row = size(1) - size(0)
    rows = max(1, round((target_size - size(0)) / per_row))
    context = {**base, "rows": [row] * rows}

    def plain_view(request):
        return HttpResponse(template.render(context, request))

    return plain_view


def worker(documents, renders):
    """Runs inside a subprocess whose DATABASE_URL points at an empty database."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    import config.urls
    from sites.models import SiteProfile
    from sites.provisioning import provision_many
    from sites.standards import load_standards
    from tests.factories import site_spec

    call_command("migrate", verbosity=0)
    specs = [site_spec("www", "portal")] + [site_spec(f"d{n:03d}") for n in range(SITES)]
    provision_many(specs)
    for spec in specs[1:]:
        SiteProfile.objects.filter(code=spec.code).update(legacy_hosts=legacy_host(spec.code))

    topics = load_standards().policy_topics
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, spec in enumerate(specs[1:]):
            count = documents // SITES + (number < documents % SITES)
            file = Path(folder) / f"{spec.code}.jsonl"
            with file.open("w", encoding="utf-8") as handle:
                for line in site_lines(number, spec.code, count, topics):
                    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            files.append((spec.code, file))
        start = time.perf_counter()
        for code, file in files:
            call_command("import_content", str(file), f"--site={code}", verbosity=0)
        import_s = time.perf_counter() - start

    client = Client()
    library_ms, library_bytes = median_ms(client, "/zcwjk/", renders)
    filtered_url = f"/zcwjk/?validity=valid&topic={FILTER_TOPIC}"
    filtered_ms, _ = median_ms(client, filtered_url, renders)
    urlconf = types.ModuleType("bench_content_urls")
    urlconf.urlpatterns = [
        path("plain/", plain_view_factory(library_bytes)),
        *config.urls.urlpatterns,
    ]
    with override_settings(ROOT_URLCONF=urlconf):
        plain_ms, plain_bytes = median_ms(client, "/plain/", renders)

    print(
        json.dumps(
            {
                "documents": documents,
                "import_s": import_s,
                "library_ms": library_ms,
                "filtered_ms": filtered_ms,
                "plain_ms": plain_ms,
                "library_kb": library_bytes / 1024,
                "plain_kb": plain_bytes / 1024,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.worker:
        return worker(args.documents, args.renders)

    from bench.harness import run_on_each_database

    worker_args = [f"--documents={args.documents}", f"--renders={args.renders}"]
    results = run_on_each_database(__file__, worker_args, sqlite_only=args.sqlite_only)

    print(
        f"{'database':<12}{'documents':>10}{'import (s)':>12}{'docs/s':>9}"
        f"{'library (ms)':>14}{'filtered (ms)':>15}{'plain (ms)':>12}"
        f"{'ratio':>7}{'ratio filt.':>13}{'KB lib/plain':>15}"
    )
    for name, r in results.items():
        print(
            f"{name:<12}{r['documents']:>10}{r['import_s']:>12.1f}"
            f"{r['documents'] / r['import_s']:>9.1f}{r['library_ms']:>14.2f}"
            f"{r['filtered_ms']:>15.2f}{r['plain_ms']:>12.2f}"
            f"{r['library_ms'] / r['plain_ms']:>7.1f}{r['filtered_ms'] / r['plain_ms']:>13.1f}"
            f"{r['library_kb']:>8.1f}/{r['plain_kb']:<6.1f}"
        )


if __name__ == "__main__":
    main()
