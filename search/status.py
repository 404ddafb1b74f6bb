"""搜索引擎状态: which engine answers, what each engine holds, and every sign of trouble.

The page asks each engine now (never a cached "OK"), and lists the problems in words: an
engine that cannot be reached or refuses us, the breaker holding it off, searches answered by
the fallback or by nobody lately, an index built with an older schema, engines that disagree
on the number of documents, and updates waiting in the queue. A fallback that answers is a
degraded system, so it is listed as a problem, not as health.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import health
from .backends import backend
from .models import PendingIndexUpdate

RECENT = timedelta(minutes=15)


@dataclass
class EngineState:
    name: str
    role: str  # 主引擎 / 备用引擎 / 仅写入
    details: dict
    last_error: dict | None


@dataclass
class SearchStatus:
    engines: list
    pending: int
    pending_failed: int
    last_fallback: dict | None
    last_limited: dict | None
    problems: list = field(default_factory=list)

    @property
    def healthy(self):
        return not self.problems


def _role(name):
    if name == settings.SEARCH["PRIMARY"]:
        return _("主引擎（回答搜索）")
    if name == settings.SEARCH.get("FALLBACK"):
        return _("备用引擎（主引擎不可用时回答）")
    return _("仅写入")


def current_status():
    engines = [
        EngineState(name, _role(name), backend(name).status(), health.last_error(name))
        for name in settings.SEARCH["BACKENDS"]
    ]
    status = SearchStatus(
        engines=engines,
        pending=PendingIndexUpdate.objects.count(),
        pending_failed=PendingIndexUpdate.objects.exclude(last_error="").count(),
        last_fallback=health.last_degraded("fallback"),
        last_limited=health.last_degraded("limited"),
    )
    status.problems = list(_problems(status))
    return status


def _recent(event):
    return event is not None and timezone.now() - event["at"] < RECENT


def _problems(status):
    for engine in status.engines:
        details = engine.details
        if details.get("error"):
            yield _("%(name)s 现在无法使用：%(error)s") % {"name": engine.name, **details}
        if details.get("paused_seconds"):
            yield _("%(name)s 出错后暂停访问，%(paused_seconds)s 秒后重试。") % {
                "name": engine.name,
                **details,
            }
        if details.get("schema_current") is False:
            yield _("%s 的索引结构已过时，请运行 rebuild_search_index。") % engine.name
        if not details.get("error") and details.get("indices") == []:
            yield _("%s 还没有索引，请运行 rebuild_search_index。") % engine.name
    if _recent(status.last_fallback):
        yield _("最近 15 分钟内有搜索由备用引擎回答：主引擎不可用，结果可能不是最新的。")
    if _recent(status.last_limited):
        yield _("最近 15 分钟内有搜索没有任何引擎能回答，公众看到“搜索功能暂时受限”。")
    counts = {e.details.get("documents") for e in status.engines}
    if len(counts) > 1 and None not in counts:
        yield _("各引擎的文档数不一致，请运行 check_search_index --repair。")
    if status.pending_failed:
        yield _("%d 条索引更新失败，正在等待重试。") % status.pending_failed
