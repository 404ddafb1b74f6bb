"""Benchmark: the unified search index beside Wagtail's own database search backend.

Generates N synthetic Chinese documents (default 100,000) over 50 sites, deterministically from
word lists: titles naming a unique project (关于青松片区老旧小区改造的通知), bodies of government
prose with 5G, 12345 and synonyms mixed in, and a 发文字号 on every third. It indexes them into
the embedded backend (search.backends.embedded, fed documents directly; no pages needed) and
prints indexing throughput, index size, and p50/p95 latency and recall@10 (how often the
expected document is among the first ten) over a mixed query set: a project name, a project
name plus a keyword, a 发文字号, a project name in traditional characters, and a synonym.

Beside it, in the same process on the same documents: Wagtail's database search backend
(wagtail.search.backends.database on SQLite), indexing a plain model with the same title, body
and 发文字号 fields, asked the first `--wagtail-queries` of the same query set (default 100, the
same mix; at 100,000 documents each of its queries takes about a second).

    .venv/bin/python bench/search.py [--documents 100000] [--queries 500] [--wagtail-queries 100]
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SITES = 50
DEPARTMENTS = (
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "行政审批局",
    "体育局",
    "林业局",
    "数据局",
    "信访局",
    "东城区",
    "西城区",
    "清河区",
    "江北区",
    "江南区",
    "新港区",
    "高新区",
    "经开区",
    "临湖县",
    "青山县",
    "白沙县",
    "松林县",
    "石门县",
    "平安县",
    "永丰县",
    "长乐县",
    "仁和县",
    "安吉县",
    "龙泉县",
    "云溪县",
)
PLACE_FIRST = (
    "青松白石金水云龙凤鹤桃柳梅兰竹菊桂枫杨柏春秋晨星明光"  # 50 characters
    "华新和安康宁泰丰盛平瑞祥福兴隆昌荣德仁义礼智信吉"
)
PLACE_SECOND = (
    "山河湖溪泉港湾岭峰岗坡田园林桥塘洲滩沟坪源川江渡口"  # 50 characters
    "台阁亭苑府里坊街巷营堡寨屯店集庄村汇堤岛谷峪垭圩坝"
)
SUFFIXES = ("片区", "街道", "社区", "园区", "新村", "组团", "单元", "板块")
PROJECTS = (
    "老旧小区改造",
    "污水管网建设",
    "社会保险经办",
    "营业执照办理",
    "公共租赁住房分配",
    "噪声污染防治",
    "5G基站建设",
    "环境影响评价审批",
)
SYNONYMS = {"社会保险": "社保", "噪声": "噪音", "环境影响评价": "环评"}
NOTICES = ("通知", "实施方案", "工作要点", "公示", "情况通报", "指导意见")
SENTENCES = (
    "为深入贯彻落实党中央、国务院决策部署，进一步提升{p}工作水平，现将有关事项通知如下。",
    "各县（区）人民政府，市直各部门：{place}{p}工作已纳入年度重点任务。",
    "坚持以人民为中心的发展思想，统筹发展和安全，压实工作责任。",
    "群众可拨打12345热线反映{place}的问题，也可通过政务服务网在线办理。",
    "依托5G网络和AI技术，推进政务服务“一网通办”，让数据多跑路、群众少跑腿。",
    "住房公积金、医疗保险、社会保险等业务实现“跨省通办”。",
    "对工作推进不力的单位予以通报批评，确保各项任务按期完成。",
    "本通知自印发之日起施行，由{organ}负责解释。",
)


def site_of(number):
    return f"s{number % SITES:02d}", DEPARTMENTS[number % SITES]


def generate(count):
    """(documents, answers): SearchDocuments, and for each the words that find it."""
    from search.documents import SearchDocument

    base = datetime(2026, 1, 1, tzinfo=UTC)
    rng = random.Random(5)
    for i in range(count):
        place = (
            PLACE_FIRST[i % 50]
            + PLACE_SECOND[(i // 50) % 50]
            + SUFFIXES[(i // 2500) % len(SUFFIXES)]
        )
        project = PROJECTS[(i + i // 20000) % len(PROJECTS)]  # unique with the place
        code, department = site_of(i)
        organ = f"江州市{department}"
        published = base - timedelta(days=(i * 7) % 3650, minutes=i % 1440)
        number = f"江{department[:2]}发〔{published.year}〕{i // SITES + 1}号" if i % 3 == 0 else ""
        body = "".join(
            rng.choice(SENTENCES).format(p=project, place=place, organ=organ)
            for _ in range(rng.randint(4, 8))
        )
        yield SearchDocument(
            id=f"bench.doc:{i}",
            kind="policy" if number else "article",
            site_code=code,
            site_name=organ,
            department=organ,
            title=f"关于{place}{project}的{NOTICES[i % len(NOTICES)]}",
            body=body,
            url=f"http://{code}.localhost/doc/{i}/",
            published_at=published,
            updated_at=published,
            document_number=number,
            issuing_organ=organ if number else "",
        )


def query_set(documents, count):
    """A mixed query set, each with the document it should find."""
    from search.chinese import t2s_pairs

    to_traditional = {}
    for traditional, simplified in t2s_pairs():
        if "\u4e00" <= simplified <= "\u9fff":  # Han only, not the full-width forms
            to_traditional.setdefault(simplified, traditional)
    rng = random.Random(7)
    numbered = [d for d in documents if d.document_number]
    with_synonym = [d for d in documents if any(word in d.title for word in SYNONYMS)]
    queries = []
    for n in range(count):
        kind = n % 10
        pool = numbered if kind in (6, 7) else with_synonym if kind == 9 else documents
        document = rng.choice(pool)
        place_and_project = document.title[2:].rsplit("的", 1)[0]
        place, project = place_and_project[:4], place_and_project[4:]
        if kind < 4:
            text = place_and_project
        elif kind < 6:
            text = f"{place} {project[-2:]}"
        elif kind < 8:
            text = document.document_number
        elif kind < 9:
            text = "".join(to_traditional.get(c, c) for c in place_and_project)
        else:
            long = next(word for word in SYNONYMS if word in project)
            text = f"{place} {SYNONYMS[long]}"
        queries.append((text, document.id))
    return queries


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000


def bench_embedded(documents, queries, folder):
    from search.backends.embedded import EmbeddedBackend
    from search.chinese import analyse
    from search.query import SearchQuery
    from search.synonyms import Synonyms

    engine = EmbeddedBackend("embedded", {"PATH": Path(folder) / "index.sqlite3"})
    start = time.perf_counter()
    engine.rebuild(iter(documents))
    seconds = time.perf_counter() - start
    synonyms = Synonyms([[long, short] for long, short in SYNONYMS.items()])
    samples, found = [], 0
    for text, expected in queries:
        began = time.perf_counter()
        results = engine.search(SearchQuery(text=text), analyse(text, synonyms))
        samples.append(time.perf_counter() - began)
        found += expected in [hit.document.id for hit in results.hits]
    p50, p95 = percentiles(samples)
    return {
        "documents": len(documents),
        "docs_per_s": len(documents) / seconds,
        "size_mb": engine.size_bytes() / 2**20,
        "p50_ms": p50,
        "p95_ms": p95,
        "recall": found / len(queries),
    }


def bench_wagtail(documents, queries):
    """Wagtail's database backend over a plain model holding the same fields."""
    from django.db import connection, models
    from wagtail.search import index
    from wagtail.search.backends import get_search_backend

    class BenchDocument(index.Indexed, models.Model):
        key = models.CharField(max_length=40)
        title = models.CharField(max_length=255)
        body = models.TextField()
        document_number = models.CharField(max_length=60, blank=True)

        search_fields = [
            index.SearchField("title", boost=10),
            index.SearchField("body"),
            index.SearchField("document_number", boost=5),
        ]

        class Meta:
            app_label = "search"

        def __str__(self):
            return self.title

    with connection.schema_editor() as editor:
        editor.create_model(BenchDocument)
    backend = get_search_backend("default")
    rows = [
        BenchDocument(key=d.id, title=d.title, body=d.body, document_number=d.document_number)
        for d in documents
    ]
    BenchDocument.objects.bulk_create(rows, batch_size=2000)
    start = time.perf_counter()
    objects = list(BenchDocument.objects.order_by("pk"))
    for offset in range(0, len(objects), 2000):
        backend.add_bulk(BenchDocument, objects[offset : offset + 2000])
    seconds = time.perf_counter() - start
    samples, found = [], 0
    for text, expected in queries:
        began = time.perf_counter()
        top = [row.key for row in backend.search(text, BenchDocument.objects.all())[:10]]
        samples.append(time.perf_counter() - began)
        found += expected in top
    p50, p95 = percentiles(samples)
    return {
        "documents": len(documents),
        "docs_per_s": len(documents) / seconds,
        "size_mb": None,
        "p50_ms": p50,
        "p95_ms": p95,
        "recall": found / len(queries),
    }


def worker(count, query_count, wagtail_query_count):
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    documents = list(generate(count))
    queries = query_set(documents, query_count)
    with tempfile.TemporaryDirectory() as folder:
        embedded = bench_embedded(documents, queries, folder)
    wagtail_queries = queries[:wagtail_query_count]
    wagtail = bench_wagtail(documents, wagtail_queries)
    wagtail["queries"] = len(wagtail_queries)
    embedded["queries"] = len(queries)
    print(json.dumps({"embedded": embedded, "wagtail": wagtail}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--wagtail-queries", type=int, default=100)
    args = parser.parse_args()
    if args.worker:
        return worker(args.documents, args.queries, args.wagtail_queries)

    from bench.harness import run_worker

    with tempfile.TemporaryDirectory() as tmp:
        results = run_worker(
            __file__,
            f"sqlite:///{tmp}/bench.sqlite3",
            [
                f"--documents={args.documents}",
                f"--queries={args.queries}",
                f"--wagtail-queries={args.wagtail_queries}",
            ],
        )
    print(
        f"{'backend':<32}{'documents':>10}{'docs/s':>9}{'index MB':>10}"
        f"{'queries':>9}{'p50 ms':>8}{'p95 ms':>8}{'recall@10':>11}"
    )
    names = {
        "embedded": "jiyue embedded (FTS5 bigrams)",
        "wagtail": "wagtail.search database (SQLite)",
    }
    for key, name in names.items():
        r = results[key]
        size = f"{r['size_mb']:.1f}" if r["size_mb"] is not None else "(in DB)"
        print(
            f"{name:<32}{r['documents']:>10}{r['docs_per_s']:>9.0f}{size:>10}"
            f"{r['queries']:>9}{r['p50_ms']:>8.2f}{r['p95_ms']:>8.2f}{r['recall']:>11.1%}"
        )


if __name__ == "__main__":
    main()
