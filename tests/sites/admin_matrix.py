"""The isolation matrix, generated (run by test_admin_matrix_*.py, split so both halves run in
parallel): every admin URL, as every role of one site, against the
private objects of another department's site and of the portal.

`admin_surfaces.probes()` fills every admin route with the targets' ids (a GET without and with a
query naming them, and a POST). For each probe, as each of the five roles of site `east`:
- nothing private of a target appears in the answer or on the page a redirect leads to: every
  private object carries its site's marker (`westleak`, `wwwleak`) in its title, file name,
  tag, user name, snippet text or letter (its subject, writer, unit and attachment), and the
  platform-only snippets carry `platformleak`;
- nothing changes: the row count of every table, and the state of each target's pages, media,
  users, workflows and profile, are the same after the request.
Live, public pages of other sites may be referenced (a policy another site interprets, a link),
so their public titles carry no marker; their draft titles do.
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale, Page, PageViewRestriction, UploadedFile

from home.models import ColumnPage, ForbiddenExpression, Miswriting, Submission
from interaction.models import DeadlinePolicy, HandlingUnit, LetterAttachment, MailboxPage
from interaction.submission import Upload, submit
from runtime.models import CalendarDay, CalendarYear
from search.models import BestBet, DailySearchCount, HotSearchDecision, SynonymGroup
from sites.models import SiteRole
from tests.conftest import module_world
from tests.factories import add_article, add_policy, column, provision, role_users
from tests.sites.admin_surfaces import Target, admin_routes, probes

ATTACKER = "east"
PLATFORM_MARKER = "platformleak"

# Rows that any signed-in request may write for its own user, never for another site.
OWN_SESSION_TABLES = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "wagtailusers_userprofile",
    "wagtailadmin_editingsession",
}


@dataclass
class MatrixWorld:
    attackers: dict
    targets: list
    probes: dict
    unclassified: list

    @property
    def markers(self):
        return [target.marker for target in self.targets] + [PLATFORM_MARKER]


def _rename_users(users, marker):
    for role, user in users.items():
        user.username = f"{marker}_{role.value}"
        user.first_name = f"{marker}名"
        user.last_name = "职员"
        user.email = f"{marker}.{role.value}@example.gov.cn"
        user.save()
    return users


def _media(profile, marker):
    image = get_image_model().objects.create(
        title=f"{marker}图片",
        file=get_test_image_file(filename=f"{marker}.png"),
        collection=profile.collection,
    )
    image.tags.add(f"{marker}图签")
    document = get_document_model()(title=f"{marker}文件", collection=profile.collection)
    document.file.save(f"{marker}.pdf", ContentFile(b"%PDF-1.4 private"), save=True)
    document.tags.add(f"{marker}文签")
    return image, document


def _private_pages(profile, users, marker):
    editor = users[SiteRole.EDITOR]
    notices = column(profile, "tzgg")
    draft = add_article(notices, f"{marker}草稿", live=False)
    draft.save_revision(user=editor, log_action=True)
    workflow_state = draft.get_workflow().start(draft, editor)

    revised = add_article(notices, f"{profile.code}在编文章")
    revised.title = f"{marker}修订中"
    revised.save_revision(user=editor, log_action=True)
    revised.locked, revised.locked_by, revised.locked_at = (
        True,
        users[SiteRole.SITE_ADMIN],
        timezone.now(),
    )
    revised.save(update_fields=["locked", "locked_by", "locked_at"])

    restricted = add_article(notices, f"{marker}受限页面")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    add_policy(profile, f"{marker}未发布政策", live=False)
    return notices, [Page.objects.get(pk=draft.pk), revised, restricted], workflow_state


def _letter(profile, marker):
    """A letter to the site's mailbox, led by the site's own unit (renamed with the marker),
    with an attachment: what the letters workbench must never show another site."""
    unit = HandlingUnit.objects.get(site=profile, parent=None)
    unit.name = f"{marker}承办单位"
    unit.save()
    receipt = submit(
        MailboxPage.objects.descendant_of(profile.home_page).get(),
        uploads=[Upload(f"%PDF-1.4 {marker}".encode(), "application/pdf", ".pdf", f"{marker}.pdf")],
        category="report",
        subject=f"{marker}来信",
        content=f"{marker}来信内容",
        name=f"{marker}写信人",
        phone="13912345678",
        email=f"{marker}@example.com",
    )
    letter = receipt.letter
    letter.lead_unit = unit
    letter.save(update_fields=["lead_unit"])
    return unit, letter, LetterAttachment.objects.get(letter=letter)


def _build_target(code, kind, platform_snippets):
    marker = f"{code}leak"
    profile = provision(code, kind)
    users = _rename_users(role_users(profile), marker)
    editor = users[SiteRole.EDITOR]
    notices, pages, workflow_state = _private_pages(profile, users, marker)
    workflow = workflow_state.workflow
    workflow.name = f"{marker}三级审核"
    workflow.save()
    for task in workflow.tasks:
        task.name = f"{marker}{task.name}"
        task.save()
    image, document = _media(profile, marker)
    unit, letter, attachment = _letter(profile, marker)
    best_bet = BestBet.objects.create(
        terms=marker, title=f"{marker}推荐", site=profile, external_url="https://example.org/"
    )
    DailySearchCount.objects.create(  # a zero-result query: in the report, never a hot search
        day=timezone.localdate(), site=profile, query=f"{marker}查询", searches=9, zero_results=9
    )
    uploaded = UploadedFile.objects.create(
        file=ContentFile(b"%PDF-1.4 upload", name=f"{marker}-upload.pdf"),
        for_content_type=ContentType.objects.get_for_model(get_document_model()),
        uploaded_by_user=editor,
    )
    objects = {
        "home": profile.home_page,
        "column": notices,
        "profile": profile,
        "site": profile.site,
        "collection": profile.collection,
        "locale": Locale.get_default(),
        "user": editor,
        "group": editor.groups.get(),
        "workflow": workflow,
        "task": workflow.tasks.first(),
        "workflow_state": workflow_state,
        "task_state": workflow_state.current_task_state,
        "revision": pages[0].latest_revision,
        "image": image,
        "document": document,
        "uploaded_file": uploaded,
        "redirect": Redirect.objects.create(
            old_path=f"/{marker}-old", site=profile.site, redirect_link="https://example.org/"
        ),
        "letter": letter,
        "letter_attachment": attachment,
        "editing_session": EditingSession.objects.create(
            user=editor,
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(pages[0].pk),
            last_seen_at=timezone.now(),
        ),
    }
    return Target(
        code=code,
        marker=marker,
        pages=pages,
        objects=objects,
        snippets={**platform_snippets, BestBet: best_bet, HandlingUnit: unit},
    )


def _build():
    portal_snippets = {
        SynonymGroup: SynonymGroup.objects.create(terms=f"{PLATFORM_MARKER}同义，平台词"),
        ForbiddenExpression: ForbiddenExpression.objects.create(
            expression=f"{PLATFORM_MARKER}禁语"
        ),
        Miswriting: Miswriting.objects.create(wrong=f"{PLATFORM_MARKER}错字", right="正字"),
        HotSearchDecision: HotSearchDecision.objects.create(query=f"{PLATFORM_MARKER}屏蔽词"),
        CalendarDay: CalendarDay.objects.create(
            date=date(2031, 1, 1), kind="day_off", name=f"{PLATFORM_MARKER}节日"
        ),
        CalendarYear: CalendarYear.objects.create(year=2031, source=f"{PLATFORM_MARKER}依据"),
        DeadlinePolicy: DeadlinePolicy.objects.create(  # no text field: the marker as a level
            category="praise",
            level=PLATFORM_MARKER,
            stage="feedback",
            amount=7,
            measure="calendar_days",
        ),
    }
    portal = _build_target("www", "portal", portal_snippets)
    west = _build_target("west", "department", portal_snippets)
    source = add_article(column(west.objects["profile"], "gzdt"), "west报送文章")
    submission = Submission.objects.create(
        source=source,
        source_site=west.objects["profile"],
        target_column=ColumnPage.objects.child_of(portal.objects["home"]).first(),
        target_site=portal.objects["profile"],
        submitted_by=west.objects["user"],
        reason=f"{west.marker}审核意见",
    )
    for target in (portal, west):
        target.objects["submission"] = submission
    attacker_profile = provision(ATTACKER)
    attackers = role_users(attacker_profile)
    add_article(column(attacker_profile, "tzgg"), f"{ATTACKER}自己的文章")
    targets = [west, portal]
    found, unclassified = probes(targets)
    return MatrixWorld(
        attackers=attackers, targets=targets, probes=found, unclassified=unclassified
    )


matrix_world = module_world(_build)

ROUTES = [route for route, _name, _pattern in admin_routes()]


def _table_counts():
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.db_table not in OWN_SESSION_TABLES
    )
    sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {table}" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _target_state(target):
    objects = target.objects
    home = objects["home"]
    return (
        list(
            Page.objects.descendant_of(home, inclusive=True)
            .order_by("pk")
            .values_list(
                "pk", "title", "draft_title", "live", "locked", "path", "latest_revision_id"
            )
        ),
        list(
            get_image_model()
            .objects.filter(collection=objects["collection"])
            .order_by("pk")
            .values_list("pk", "title", "file", "collection_id")
        ),
        list(
            get_document_model()
            .objects.filter(collection=objects["collection"])
            .order_by("pk")
            .values_list("pk", "title", "file", "collection_id")
        ),
        list(
            objects["profile"]
            ._meta.model.objects.filter(pk=objects["profile"].pk)
            .values_list("name", "status", "logo_id", "contact_phone", "accent_colour")
        ),
        list(
            objects["user"]
            ._meta.model.objects.filter(groups__site_group__profile=objects["profile"])
            .order_by("pk")
            .values_list("pk", "username", "password", "is_active", "groups")
        ),
        list(objects["workflow"].workflow_states.values_list("pk", "status")),
        [
            (snippet.pk, str(type(snippet).objects.get(pk=snippet.pk)))
            for snippet in target.snippets.values()
        ],
    )


def _fingerprint(world):
    return _table_counts(), [_target_state(target) for target in world.targets]


def _leaks(markers, text):
    lowered = text.lower()
    return [marker for marker in markers if marker in lowered]


def _answer_text(client, response):
    """The answer, and the admin page a redirect lands on."""
    text = response.content.decode(errors="replace") if not response.streaming else ""
    location = response.get("Location", "")
    text += location
    if response.status_code in (301, 302) and location.startswith("/admin/"):
        landing = client.get(location)
        if not landing.streaming:
            text += landing.content.decode(errors="replace")
    return text


def check_route(client, world, route, role):
    """Every probe of `route` as `role` of the attacking site: no marker shown, nothing changed."""
    client.force_login(world.attackers[role])
    failures = []
    before = _fingerprint(world)
    for probe in world.probes[route]:
        response = getattr(client, probe.method)(probe.url)
        leaks = _leaks(world.markers, _answer_text(client, response))
        if leaks:
            failures.append(f"{probe.name} {response.status_code} shows {leaks}: {probe.url}")
    if _fingerprint(world) != before:
        failures.append(f"{route}: a request changed data")
    assert not failures, "\n".join(failures)
