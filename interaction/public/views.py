"""The routes of a mailbox page (MailboxPage's @path methods call these with the page).

The list, a letter's page and the statistics are plain GETs the page cache may keep; writing and
查询 carry a CSRF token or a writer's letter, so their responses are never cached anywhere."""

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.cache import add_never_cache_headers

from home.templatetags.navigation_tags import SITE_HOME_DEPTH

from .. import actions, notify
from ..models import HandlingUnit, Letter, Stage
from ..submission import find_for_writer, submit
from ..workflow import State
from . import limits, statistics
from .forms import LetterFilterForm, LetterForm, QueryForm, RatingForm, StatsMonthForm

PAGE_SIZE = 20
TOKEN_SALT = "interaction.writer-query"
LIST_FIELDS = (
    "pk",
    "mailbox_id",
    "category",
    "public_subject",
    "received_at",
    "replied_at",
    "published_at",
    "reply_unit__name",
)
PLACES = {  # template → (the mailbox tab it belongs to, its heading under the mailbox's title)
    "index": ("index", ""),
    "letter": ("letter", "公开信件"),
    "stats": ("stats", "办理统计"),
    "write": ("write", "写信"),
    "receipt": ("write", "信件已提交"),
    "query": ("query", "信件查询"),
    "timeline": ("query", "办理情况"),
}
WRONG_CREDENTIALS = "查询码或查询密码不正确，请核对后重新输入。"
TOKEN_EXPIRED = "查询已超时，请重新输入查询码和查询密码。"
RATED = {
    "rate": "感谢您的评价，本件已办结。",
    "reopen": "感谢您的评价。本件已退回承办单位重新办理，答复后会再通知您。",
}


def _render(mailbox, request, template, status=200, private=False, **context):
    here, subtitle = PLACES[template]
    response = mailbox.render(
        request,
        template=f"interaction/mailbox/{template}.html",
        context_overrides={
            "trail": list(mailbox.get_ancestors().filter(depth__gte=SITE_HOME_DEPTH)),
            "here": here,
            "subtitle": subtitle,
            **context,
        },
    )
    response.status_code = status
    if private:
        add_never_cache_headers(response)  # `private`: the page cache never keeps it either
    return response


# --- the public list ----------------------------------------------------------------------------


def index(mailbox, request):
    public = Letter.objects.public().filter(mailbox=mailbox)
    units = HandlingUnit.objects.filter(pk__in=public.values("reply_unit")).order_by("name")
    months = public.datetimes("received_at", "month", order="DESC")
    form = LetterFilterForm(
        request.GET,
        categories=mailbox.category_choices(),
        units=[(str(unit.pk), unit.name) for unit in units],
        months=_month_choices(months),
    )
    form.is_valid()  # an invalid filter is named on the page and left out of the query
    letters = _filtered(public, form.cleaned_data)
    letters = letters.select_related("reply_unit").only(*LIST_FIELDS)
    page = Paginator(letters.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(mailbox, request, "index", form=form, letters=page)


def _month_choices(months):
    return [(f"{month:%Y-%m}", f"{month.year}年{month.month}月") for month in months]


def _filtered(letters, filters):
    if filters.get("q"):
        q = filters["q"]
        letters = letters.filter(
            Q(public_subject__icontains=q)
            | Q(public_content__icontains=q)
            | Q(public_reply__icontains=q)
        )
    if filters.get("category"):
        letters = letters.filter(category=filters["category"])
    if filters.get("unit"):
        letters = letters.filter(reply_unit_id=filters["unit"])
    if filters.get("month"):
        year, month = filters["month"].split("-")
        letters = letters.filter(received_at__year=year, received_at__month=month)
    return letters


def letter(mailbox, request, pk):
    found = (
        Letter.objects.public()
        .filter(mailbox=mailbox, pk=pk)
        .select_related("reply_unit")
        .only(*LIST_FIELDS, "public_content", "public_reply", "rating", "state")
        .first()
    )
    if found is None:
        raise Http404("没有这封公开信件")
    return _render(mailbox, request, "letter", letter=found)


def stats(mailbox, request):
    months = statistics.months(mailbox)
    form = StatsMonthForm(request.GET, months=_month_choices(months))
    chosen = form.cleaned_data.get("month") if form.is_valid() else None
    month = next((m for m in months if f"{m:%Y-%m}" == chosen), months[0] if months else None)
    table = statistics.table(mailbox, month) if month else None
    return _render(mailbox, request, "stats", form=form, month=month, table=table)


# --- writing ------------------------------------------------------------------------------------


def write(mailbox, request):
    if request.method != "POST":
        return _render(mailbox, request, "write", private=True, form=LetterForm(mailbox))
    form = LetterForm(mailbox, request.POST, request.FILES)
    if not form.is_valid():
        return _render(mailbox, request, "write", private=True, form=form)
    client = limits.client_key(request)
    refusal = limits.refusal(client, form.cleaned_data["phone"])
    if refusal:
        form.add_error(None, refusal)
        return _render(mailbox, request, "write", status=429, private=True, form=form)
    receipt = submit(
        mailbox,
        uploads=form.cleaned_data["attachments"],
        client_hash=client,
        **form.letter_fields(),
    )
    transaction.on_commit(lambda: notify.receipt(receipt.letter, receipt.password))
    return _render(mailbox, request, "receipt", private=True, receipt=receipt)


# --- the writer's 查询 and rating ----------------------------------------------------------------


def query(mailbox, request):
    if request.method != "POST":
        return _render(mailbox, request, "query", private=True, form=QueryForm())
    if "token" in request.POST:
        return _rate(mailbox, request)
    form = QueryForm(request.POST)
    if form.is_valid():
        found = find_for_writer(form.cleaned_data["query_code"], form.cleaned_data["password"])
        if found is not None and found.mailbox_id == mailbox.pk:
            return _timeline(mailbox, request, found)
        form.add_error(None, WRONG_CREDENTIALS)
    return _render(mailbox, request, "query", private=True, form=form)


def _rate(mailbox, request):
    found = _letter_of_token(mailbox, request.POST.get("token", ""))
    if found is None:
        return _render(
            mailbox, request, "query", private=True, form=QueryForm(), problem=TOKEN_EXPIRED
        )
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _timeline(mailbox, request, found, rating_form=form)
    rating = form.cleaned_data["rating"]
    name = actions.rating_transition(found, rating)
    try:
        actions.perform(
            found, name, actor="writer", rating=rating, comment=form.cleaned_data["comment"]
        )
    except actions.TransitionError as error:  # e.g. rated meanwhile from another window
        found.refresh_from_db()
        return _timeline(mailbox, request, found, rating_form=form, problem=error.message)
    found.refresh_from_db()
    return _timeline(mailbox, request, found, notice=RATED[name])


def _timeline(mailbox, request, found, rating_form=None, notice="", problem=""):
    token = signing.dumps({"letter": found.pk, "mailbox": mailbox.pk}, salt=TOKEN_SALT)
    if found.state == State.REPLIED and rating_form is None:
        rating_form = RatingForm(initial={"token": token})
    order = list(Stage)
    deadlines = sorted(found.deadlines.all(), key=lambda deadline: order.index(deadline.stage))
    return _render(
        mailbox,
        request,
        "timeline",
        private=True,
        letter=found,
        events=found.events.filter(public=True).select_related("unit"),
        deadlines=deadlines,
        show_reply=found.state in (State.REPLIED, State.CLOSED) and bool(found.reply),
        rating_form=rating_form if found.state == State.REPLIED else None,
        notice=notice,
        problem=problem,
    )


def _letter_of_token(mailbox, token):
    try:
        signed = signing.loads(token, salt=TOKEN_SALT, max_age=settings.LETTER_QUERY_TOKEN_SECONDS)
    except signing.BadSignature:  # expired tokens too (SignatureExpired)
        return None
    if signed.get("mailbox") != mailbox.pk:
        return None
    return Letter.objects.filter(pk=signed.get("letter"), mailbox=mailbox).first()
