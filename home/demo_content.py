"""Deterministic demo content: realistic Chinese items in every column a site must keep filled.

Used only by `manage.py setup_demo`. The same inventory always yields the same titles and text
(seeded by the site code); publication times are offsets from the moment of setup so that the
demo never looks stale to the freshness rules (动态 within 14 days, 通知公告 within 6 months).
"""

import random
from datetime import timedelta

from django.utils import timezone
from wagtail.rich_text import RichText

from sites.standards import load_standards

from .models import ArticlePage, ColumnPage, InterpretationPage, PolicyDocumentPage

TOPICS = [
    "优化营商环境",
    "安全生产",
    "民生实事",
    "数字政府建设",
    "作风建设",
    "乡村振兴",
    "生态环境保护",
    "政务公开",
    "依法行政",
    "防汛抗旱",
    "招商引资",
    "基层治理",
    "文明城市创建",
    "稳就业保民生",
    "信用体系建设",
    "一网通办",
    # What citizens search for most (the portal's 常用服务), so the demo search finds them.
    "社保缴费",
    "医保报销",
    "户籍办理",
    "出入境证件办理",
    "不动产登记",
    "企业开办",
    "义务教育入学",
]
NEWS_TITLES = [
    "{short}召开{topic}工作推进会",
    "{short}开展{topic}专项督查",
    "{short}党组理论学习中心组专题学习{topic}",
    "{short}部署下一阶段{topic}重点任务",
    "{short}赴基层调研{topic}工作",
    "{short}{topic}工作取得阶段性成效",
]
NOTICE_TITLES = [
    "关于开展{year}年{topic}工作的通知",
    "关于{topic}有关事项的公告",
    "{short}关于{topic}工作的公示",
]
POLICY_TITLES = [
    "{short}关于印发《{topic}三年行动方案》的通知",
    "{short}关于进一步做好{topic}工作的实施意见",
]
INTERPRETATION_TITLES = ["《{topic}三年行动方案》政策解读", "一图读懂{topic}实施意见"]
SENTENCES = [
    "会议强调，要坚持以人民为中心的发展思想，把{topic}各项任务落到实处。",
    "各单位要压实工作责任，细化工作措施，确保{topic}工作按期推进。",
    "下一步，{short}将持续加强统筹协调，健全长效机制，推动{topic}工作提质增效。",
    "据统计，今年以来全市共办理相关事项{n}件，群众满意率持续提升。",
    "会上通报了前一阶段{topic}工作情况，并对存在的问题提出整改要求。",
    "此次工作覆盖全市{m}个乡镇（街道），惠及群众{n}余人。",
]

# column slug → (title templates, items, spacing in days between items)
COLUMN_PLANS = {
    "yw": (NEWS_TITLES, 8, 1),
    "gzdt": (NEWS_TITLES, 8, 1),
    "xzdt": (NEWS_TITLES, 6, 2),
    "zxdt": (NEWS_TITLES, 6, 2),
    "tzgg": (NOTICE_TITLES, 5, 12),
    "zcwj": (POLICY_TITLES, 4, 30),
    "zcjd": (INTERPRETATION_TITLES, 3, 30),
}


def short_name(profile):
    name = profile.name.removeprefix("江州市")
    return name if len(name) <= 8 else name[:8]


def fill_site(profile, now=None):
    """Add items to each empty leaf column of one site; returns how many were created."""
    now = now or timezone.now()
    rng = random.Random(profile.code)
    home = profile.site.root_page
    created = 0
    for column in ColumnPage.objects.descendant_of(home).filter(numchild=0).order_by("path"):
        titles, count, spacing = COLUMN_PLANS.get(column.slug, (None, 1, 0))
        for number in range(count):
            title = (
                rng.choice(titles).format(
                    short=short_name(profile), topic=rng.choice(TOPICS), year=now.year
                )
                if titles
                else _standing_title(profile, column, now)
            )
            published = now - timedelta(days=number * spacing + rng.random(), hours=1)
            page = _article(profile, rng, title, published, number, _page_class(column, home))
            if isinstance(page, PolicyDocumentPage):
                _as_policy(page, profile, rng, published, number)
            if isinstance(page, InterpretationPage):
                page.policies = [rng.choice(_site_policies(home))]
            column.add_child(instance=page)
            created += 1
    return created


def _standing_title(profile, column, now):
    if column.slug == "xxgknb":
        return f"{profile.name}{now.year - 1}年政府信息公开工作年度报告"
    return f"{profile.name}{column.title}"


def _page_class(column, home):
    if column.slug == "zcwj":
        return PolicyDocumentPage
    if column.slug == "zcjd" and _site_policies(home):
        return InterpretationPage
    return ArticlePage


def _site_policies(home):
    return list(PolicyDocumentPage.objects.descendant_of(home).order_by("path"))


def _as_policy(page, profile, rng, published, number):
    organ = "江府" if profile.kind == "portal" else f"江{short_name(profile)[:2]}"
    page.document_number = f"{organ}发〔{published.year}〕{number + 1}号"
    page.written_date = (published - timedelta(days=rng.randint(3, 20))).date()
    page.topic = rng.choice(load_standards().policy_topics)
    page.effective_date = published.date()


def _article(profile, rng, title, published, number, page_class=ArticlePage):
    topic = rng.choice(TOPICS)
    values = {
        "short": short_name(profile),
        "topic": topic,
        "n": rng.randint(120, 9800),
        "m": rng.randint(8, 36),
    }
    paragraphs = [rng.choice(SENTENCES).format(**values) for _ in range(3)]
    return page_class(
        title=title,
        slug=f"item-{published:%Y%m%d}-{number + 1}",
        lead=paragraphs[0],
        source=profile.sponsor,
        published_at=published,
        first_published_at=published,
        last_published_at=published,
        body=[("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs],
        live=True,
    )
