"""The search document: one record per thing the public can find, whatever its model.

Fields follow DESIGN §7. Backends store and return exactly these; everything a result page
shows comes from here, so a search never touches the content tables.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from django.utils import timezone

from .chinese import document_number_key

# Fields a query may filter and facet on, as the backends name them.
FILTER_FIELDS = (
    "site_code",
    "kind",
    "language",
    "year",
    "issuing_organ",
    "topic",
    "validity",
)


@dataclass(frozen=True)
class SearchDocument:
    id: str  # "<model label>:<pk>", e.g. "wagtailcore.page:42"
    kind: str  # "article", "policy" …: see search.registry.kind_labels()
    site_code: str
    site_name: str
    department: str  # the organisation behind the site (主办单位)
    title: str
    body: str
    url: str
    published_at: datetime
    updated_at: datetime
    language: str = "zh-hans"
    document_number: str = ""  # 发文字号
    issuing_organ: str = ""  # 发布机构
    topic: str = ""  # 主题分类
    validity: str = ""  # 有效性, as of indexing

    @property
    def year(self):
        return timezone.localtime(self.published_at).year

    @property
    def document_number_key(self):
        return document_number_key(self.document_number) if self.document_number else ""

    def to_dict(self):
        values = asdict(self)
        values["published_at"] = self.published_at.isoformat()
        values["updated_at"] = self.updated_at.isoformat()
        return values

    @classmethod
    def from_dict(cls, values):
        known = {field.name for field in fields(cls)}
        values = {name: value for name, value in values.items() if name in known}
        for name in ("published_at", "updated_at"):
            if isinstance(values[name], str):
                values[name] = datetime.fromisoformat(values[name])
        return cls(**values)

    @property
    def fingerprint(self):
        """Changes whenever anything a search shows or filters on changes (check_search_index)."""
        encoded = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(encoded.encode(), usedforsecurity=False).hexdigest()
