"""The declared standards of `platform/standards.toml`, read into typed, immutable objects.

The file is data maintained by the platform office (统一标准体系); nothing here hard-codes a
column. Provisioning walks `SiteKind.columns`; monitoring will read `update_days` and
`blank_allowed`.
"""

import tomllib
from dataclasses import dataclass
from functools import cache

from django.conf import settings


@dataclass(frozen=True)
class ColumnStandard:
    slug: str
    title: str
    update_days: int | None = None
    blank_allowed: bool = False
    page_type: str = "column"
    children: tuple["ColumnStandard", ...] = ()

    @classmethod
    def from_data(cls, data):
        return cls(
            slug=data["slug"],
            title=data["title"],
            update_days=data.get("update_days"),
            blank_allowed=data.get("blank_allowed", False),
            page_type=data.get("type", "column"),
            children=tuple(cls.from_data(child) for child in data.get("children", ())),
        )

    def walk(self, path=()):
        """Yield (path of slugs, column) for this column and every descendant, parents first."""
        own_path = (*path, self.slug)
        yield own_path, self
        for child in self.children:
            yield from child.walk(own_path)


@dataclass(frozen=True)
class SiteKind:
    key: str
    label: str
    columns: tuple[ColumnStandard, ...]

    def walk_columns(self):
        for column in self.columns:
            yield from column.walk()


@dataclass(frozen=True)
class PortalService:
    """One of the portal's most-used services (常用服务): a title and the search that finds it."""

    title: str
    query: str


@dataclass(frozen=True)
class Standards:
    kinds: dict[str, SiteKind]
    palette: dict[str, tuple[str, str]]  # key -> (label, hex)
    footer_required: tuple[str, ...]
    policy_topics: tuple[str, ...]
    portal_services: tuple[PortalService, ...]
    portal_services_more: str  # where "more services" leads

    def kind(self, key):
        return self.kinds[key]


@cache
def load_standards(path=None):
    path = path or settings.PLATFORM_DIR / "standards.toml"
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    kinds = {
        key: SiteKind(
            key=key,
            label=kind["label"],
            columns=tuple(ColumnStandard.from_data(column) for column in kind["columns"]),
        )
        for key, kind in data["kinds"].items()
    }
    palette = {key: (entry["label"], entry["hex"]) for key, entry in data["palette"].items()}
    return Standards(
        kinds=kinds,
        palette=palette,
        footer_required=tuple(data["footer"]["required"]),
        policy_topics=tuple(data["policy"]["topics"]),
        portal_services=tuple(PortalService(**item) for item in data["portal_services"]["items"]),
        portal_services_more=data["portal_services"]["more"],
    )


def kind_choices():
    return [(kind.key, kind.label) for kind in load_standards().kinds.values()]


def policy_topic_choices():
    return [(topic, topic) for topic in load_standards().policy_topics]


def palette_choices():
    return [(key, label) for key, (label, _hex) in load_standards().palette.items()]
