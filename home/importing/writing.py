"""Writing one planned item: attachments, the page, its published revision and its redirect.

Each item is one transaction, so a line is imported whole or not at all. Files are the exception
a database cannot roll back; the documents stored for a line that then fails are deleted again.
Publishing goes through a revision like an editor's would, so the page's history in the admin
shows the import; the three-step review is skipped, imports being platform work done by a
platform admin.
"""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.utils.file import hash_filelike

from home.models import Attachment

from .errors import LineError, describe_validation_error


def write_plan(plan, collection):
    """Save `plan`; its new documents go into `collection` (the site's)."""
    stored = []
    try:
        with transaction.atomic():
            _write(plan, collection, stored)
    except BaseException:
        for document in stored:
            document.file.delete(save=False)
        raise


def _write(plan, collection, stored):
    page = plan.page
    page.attachments = [
        Attachment(document=_document(path, title, collection, stored), title=title)
        for path, title in plan.attachments
    ]
    try:
        if plan.creates:
            plan.column.add_child(instance=page)
            revision = page.save_revision(clean=False, log_action="wagtail.create")
            Redirect.add_redirect(
                plan.record.legacy.path, redirect_to=page, site=plan.redirect_site
            )
        else:
            _move_if_needed(page, plan.column)
            revision = page.save_revision(clean=False, log_action=True)
        revision.publish()
    except ValidationError as error:
        raise LineError(describe_validation_error(error, type(page))) from None


def _move_if_needed(page, column):
    if page.get_parent().pk == column.pk:
        return
    # Moved through a fresh instance, then the tree fields of ours are reloaded: the in-memory
    # page carries the line's new content, which must not be reloaded away.
    Page.objects.get(pk=page.pk).move(column, pos="last-child")
    page.refresh_from_db(fields=["path", "depth", "url_path"])


def _document(path, title, collection, stored):
    """The site's document with this file's content: an earlier upload of the same bytes is
    reused, so importing a file again does not fill the collection with copies."""
    with path.open("rb") as handle:
        digest = hash_filelike(handle)
        existing = (
            get_document_model().objects.filter(collection=collection, file_hash=digest).first()
        )
        if existing:
            return existing
        document = get_document_model()(
            title=title or path.stem,
            collection=collection,
            file_hash=digest,
            file_size=path.stat().st_size,
        )
        handle.seek(0)
        document.file.save(path.name, File(handle), save=False)
    stored.append(document)
    document.save()
    return document
