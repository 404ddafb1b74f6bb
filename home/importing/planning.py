"""One record into the page it will become, validated as saving it would, without saving.

Planning is everything an import does except writing, so a dry run is exactly planning: the page
is built (or the earlier import loaded and changed in memory), and the model validation that
saving runs (lengths, choices, 发文字号, dates, the 索引号 precondition) runs here first.
"""

from dataclasses import dataclass, fields
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.models import Site

from home.models import ArticlePage, ColumnPage, InterpretationPage, PolicyDocumentPage

from .errors import LineError, describe_validation_error
from .records import Record
from .sanitising import sanitise_body

PAGE_TYPES = {
    "article": ArticlePage,
    "policy": PolicyDocumentPage,
    "interpretation": InterpretationPage,
}
# Filled in when the page is added to the tree and first saved (索引号), so an unsaved page
# cannot have them yet.
FILLED_ON_SAVE = ["path", "depth", "index_number"]


@dataclass
class Plan:
    """A page ready to be written, with where it goes and what comes with it."""

    record: Record
    page: ArticlePage
    column: ColumnPage
    redirect_site: Site | None
    attachments: list[tuple[Path, str]]
    warnings: list[str]

    @property
    def creates(self):
        return self.page.pk is None


def plan_record(record, target):
    """The Plan of `record` in `target`, or LineError with the first reason it cannot be."""
    page_class = PAGE_TYPES[record.type]
    column = target.column(record.column)
    page = target.imported_page(record.legacy)
    if page is None:
        # Imported content is published content: live from the start, first published when
        # the old site published it.
        page = page_class(live=True, first_published_at=record.published_at)
        page.locale_id = column.locale_id
    elif type(page) is not page_class:
        raise LineError(
            f"该旧网址已导入为{page._meta.verbose_name}「{page.title}」，"
            f"不能改为{page_class._meta.verbose_name}"
        )
    body = sanitise_body(record.body_html, record.legacy.url)
    _fill(page, record, body.blocks, [target.policy(ref) for ref in record.policies])
    extensions = page_class.attachment_extensions or settings.WAGTAILDOCS_EXTENSIONS
    attachments = [
        (target.attachment_file(ref, extensions), ref.title) for ref in record.attachments
    ]
    _validate(page, column)
    return Plan(
        record=record,
        page=page,
        column=column,
        redirect_site=target.redirect_site(record.legacy),
        attachments=attachments,
        warnings=body.warnings,
    )


def _fill(page, record, blocks, policies):
    page.title = record.title
    page.lead = record.lead
    page.source = record.source
    page.author = record.author
    page.published_at = record.published_at
    page.body = blocks
    if record.policy is not None:
        for field in fields(record.policy):
            setattr(page, field.name, getattr(record.policy, field.name))
    if isinstance(page, InterpretationPage):
        page.kind = record.kind
        page.policies = policies


def _validate(page, column):
    if page.pk is None:
        # Lets the validation see the column (the 索引号 check looks for the site's
        # organisation code through it) before the page is in the tree.
        page._cached_parent_obj = column
    try:
        page.full_clean(exclude=FILLED_ON_SAVE)
    except ValidationError as error:
        raise LineError(describe_validation_error(error, type(page))) from None
    if page.pk is None:
        # The slug validation derived from the title could not see the column's children (an
        # unsaved page has no tree path); saving derives it again, unique among them.
        page.slug = ""
