"""The query interface every backend implements: what is asked, and what comes back.

A `SearchQuery` carries the text, the scope (filters on site, kind, language, year and policy
metadata), the facets wanted, the sort order and the page. `SearchResults` carries one page of
hits with highlighted title and snippet, the total, facet counts over the whole matched set, and
flags saying how the answer was obtained (fallback engine, limited, relaxed matching).
"""

import math
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from .documents import FILTER_FIELDS, SearchDocument

SORTS = ("relevance", "date")
MAX_QUERY_LENGTH = 100
MAX_PAGE_SIZE = 50
MAX_RESULT_WINDOW = 1000  # deep pages cost every engine; nobody reads result 1,001


class InvalidQuery(ValueError):
    """Bad input from a citizen or a caller; the message is fit to show."""


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: dict = field(default_factory=dict)  # field → values, any of which may match
    exclude: dict = field(default_factory=dict)  # field → values none of which may match
    facets: tuple = ("site_code", "kind", "year")
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10
    relaxed: bool = False  # any piece may match instead of all (set by the service)

    def __post_init__(self):
        if len(self.text) > MAX_QUERY_LENGTH:
            raise InvalidQuery(_("搜索词不能超过 %d 个字。") % MAX_QUERY_LENGTH)
        if self.sort not in SORTS:
            raise InvalidQuery(_("排序方式只能是“相关度”或“日期”。"))
        if not isinstance(self.page, int) or self.page < 1:
            raise InvalidQuery(_("页码须为正整数。"))
        if not isinstance(self.page_size, int) or not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidQuery(_("每页条数须在 1 到 %d 之间。") % MAX_PAGE_SIZE)
        if self.page * self.page_size > MAX_RESULT_WINDOW:
            raise InvalidQuery(_("最多只能查看前 %d 条结果，请缩小搜索范围。") % MAX_RESULT_WINDOW)
        unknown = set(self.filters) | set(self.exclude) | set(self.facets)
        unknown -= set(FILTER_FIELDS)
        if unknown:
            raise InvalidQuery(_("不支持按“%s”筛选。") % "、".join(sorted(unknown)))
        # Normalise filter values to tuples so backends see one shape.
        for name in ("filters", "exclude"):
            normalised = {
                key: tuple(values) if isinstance(values, list | tuple | set) else (values,)
                for key, values in getattr(self, name).items()
                if values not in (None, "", (), [])
            }
            object.__setattr__(self, name, normalised)

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    def but(self, **changes):
        return replace(self, **changes)


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    title_html: str  # the title, HTML-escaped, matched terms in <mark>
    snippet_html: str  # a window of the body around the matches, likewise
    score: float


@dataclass(frozen=True)
class FacetValue:
    value: object
    count: int
    label: str


@dataclass
class SearchResults:
    query: SearchQuery
    total: int = 0
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)  # field → [FacetValue], most frequent first
    backend: str = ""
    fallback: bool = False  # answered by the fallback engine because the primary was down
    limited: bool = False  # no engine could answer: show "search is temporarily limited"

    @property
    def page_count(self):
        return math.ceil(self.total / self.query.page_size) if self.total else 0
