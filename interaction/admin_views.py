"""The staff workbench for letters (信件办理): the listing with its queues, one letter with its
timeline and the actions `actions.available` offers, the publication review, and attachments.

Every view starts from `Letter.objects.visible_to(user)`; the object views carry `model = Letter`
and a `pk` kwarg, so the admin object gate (sites.admin_gate) answers 404 for any letter outside
the user's scope before the view runs, and the view's own lookup does it again."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from sites.models import SiteGroup, SiteRole

from . import actions, redaction
from .admin_forms import PUBLISHED_FIELDS, PublicationForm, transition_form
from .confidential import WriterPrivacy
from .models import Category, HandlingUnit, Letter, LetterDeadline, Stage
from .queues import QUEUES
from .workflow import TRANSITIONS, State

HOME = [
    {"url": reverse_lazy("wagtailadmin_home"), "label": "首页"},
    {"url": reverse_lazy("letters:index"), "label": "信件办理"},
]
EVENT_DATA_LABELS = {
    "unit": "主办单位",
    "assisting": "协办单位",
    "days": "延期工作日",
    "original": "并入信件",
    "reason": "理由",
    "masks": "遮盖处数",
    "rating": "评价",
    "similarity": "相似度",
}


def is_mail_staff(user):
    """Holds a mail role (信件调度, 信件办理, 信件审核) or is a 站点管理员 or platform admin."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_mail_staff", None)
    if cached is None:
        groups = user.groups.values("pk")
        cached = user._mail_staff = (
            HandlingUnit.objects.filter(
                Q(handlers__in=groups) | Q(reviewers__in=groups) | Q(dispatchers__in=groups)
            ).exists()
            or SiteGroup.objects.filter(group__in=groups, role=SiteRole.SITE_ADMIN).exists()
        )
    return cached


class MailStaffRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_mail_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# -- the listing ----------------------------------------------------------------------------
class LetterFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label="队列",
        choices=[(name, label) for name, (label, _q) in QUEUES.items()],
        method="filter_queue",
        empty_label="全部来信",
    )
    state = django_filters.ChoiceFilter(label="状态", choices=State.choices, empty_label="全部")
    category = django_filters.ChoiceFilter(
        label="类型", choices=Category.choices, empty_label="全部"
    )

    class Meta:
        model = Letter
        fields = []

    def filter_queue(self, queryset, name, value):
        return queryset.filter(QUEUES[value][1](self.request.user))


def reply_deadlines():
    """The reply deadline of each letter of a page (one query for the page, not a subquery per
    row: SQLite works out select-list subqueries before it sorts, for every visible letter)."""
    return Prefetch(
        "deadlines",
        queryset=LetterDeadline.objects.filter(stage=Stage.REPLY),
        to_attr="reply_deadlines",
    )


class LetterIndexView(MailStaffRequiredMixin, generic.IndexView):
    model = Letter
    any_permission_required = None  # the workbench's own rule: is_mail_staff, visible_to
    template_name = "interaction/admin/index.html"
    results_template_name = "interaction/admin/index_results.html"
    index_url_name = "letters:index"
    index_results_url_name = "letters:index_results"
    page_title = "信件办理"
    header_icon = "mail"
    paginate_by = 50
    filterset_class = LetterFilterSet
    search_fields = ["query_code", "subject"]  # turns the search box on; see search_queryset
    default_ordering = "-received_at"
    no_results_message = "没有符合条件的来信。"

    def get_base_queryset(self):
        return (
            Letter.objects.visible_to(self.request.user)
            .select_related("lead_unit")
            # Not joined: a join with the mailbox pages leads the planner to read every letter.
            .prefetch_related("mailbox__unit", reply_deadlines())
            .defer("content", "reply", "public_content", "public_reply", "masks")
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        text = self.search_query.strip()
        return queryset.filter(
            Q(query_code=text) | (Q(subject__icontains=text) & ~self.privacy.hidden_q())
        )

    @cached_property
    def privacy(self):
        return WriterPrivacy(self.request.user)

    # The rows are drawn by one template loop (index_results.html), not by a component per
    # cell: with 50 rows that is most of the page's time.
    columns = []
    ORDERINGS = ("received_at", "state")  # not by due: a subquery for each of 100,000 rows

    def get_valid_orderings(self):
        return [prefix + name for name in self.ORDERINGS for prefix in ("", "-")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for letter in context["object_list"]:
            letter.shown_subject = self.privacy.text(letter, "subject")
            reply = letter.reply_deadlines[0] if letter.reply_deadlines else None
            letter.reply_due = reply and reply.due_at
            letter.reply_late = bool(reply and reply.met_at is None and reply.due_at < now)
        context["tabs"] = [
            ("", "全部来信"),
            *((name, label) for name, (label, _q) in QUEUES.items()),
        ]
        context["current_queue"] = self.request.GET.get("queue", "")
        return context


# -- one letter -----------------------------------------------------------------------------
class LetterMixin(MailStaffRequiredMixin):
    """`self.letter`: the URL's letter among those the user may see (404 otherwise)."""

    model = Letter

    @cached_property
    def letter(self):
        letters = Letter.objects.visible_to(self.request.user)
        return get_object_or_404(
            letters.select_related("mailbox__unit", "lead_unit", "duplicate_of"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def available(self):
        return actions.available(self.letter, self.request.user)

    def get_breadcrumbs_items(self):
        return [*HOME, {"url": "", "label": self.letter.query_code}]


class LetterDetailView(LetterMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "interaction/admin/letter.html"
    header_icon = "mail"

    def get_page_title(self):
        return f"来信 {self.letter.query_code}"

    def get_context_data(self, bound=None, **kwargs):
        letter, user = self.letter, self.request.user
        privacy = WriterPrivacy(user)
        forms = [
            (
                t,
                bound
                if bound is not None and bound.transition == t
                else transition_form(t, letter, user),
            )
            for t in self.available
            if t.name != "publish"
        ]
        visible = Letter.objects.visible_to(user)
        original = letter.duplicate_of
        return super().get_context_data(
            letter=letter,
            writer=privacy.writer(letter),
            subject=privacy.text(letter, "subject"),
            content=privacy.text(letter, "content"),
            assisting=letter.assisting_units.all(),
            attachments=letter.attachments.all(),
            events=[(e, _event_details(e)) for e in letter.events.select_related("unit")],
            deadlines=letter.deadlines.order_by("starts_at", "pk"),
            now=timezone.now(),
            original=original,
            original_visible=bool(original and visible.filter(pk=original.pk).exists()),
            duplicates=visible.filter(duplicate_of=letter).only("pk", "query_code", "subject"),
            forms=forms,
            may_publish=any(t.name == "publish" for t in self.available),
            **kwargs,
        )


def _event_details(event):
    details = []
    for key, value in (event.data or {}).items():
        if isinstance(value, list):
            value = "、".join(str(item) for item in value) or "无"
        if key == "similarity":
            value = f"{float(value):.0%}"
        details.append((EVENT_DATA_LABELS.get(key, key), value))
    return details


class LetterActView(LetterDetailView):
    """POST one transition: the form's input to `actions.perform`. Refused input or an illegal
    step re-renders the letter with the message; nothing changes."""

    http_method_names = ["post"]

    def post(self, request, pk, transition):
        step = TRANSITIONS.get(transition)
        if step is None:
            raise Http404
        form = transition_form(step, self.letter, request.user, data=request.POST)
        if not form.is_valid():
            if step in self.available:
                messages.error(request, f"未能{step.label}：请按提示修改。")
                return self.render_to_response(self.get_context_data(bound=form))
            messages.error(request, f"您现在不能{step.label}这封信件。")
            return redirect("letters:detail", self.letter.pk)
        try:
            actions.perform(
                self.letter,
                step.name,
                user=request.user,
                reason=form.cleaned_data.get("reason", ""),
                **form.step_data(),
            )
        except actions.TransitionError as error:
            messages.error(request, error.message)
            self.letter.refresh_from_db()
            self.__dict__.pop("available", None)
            return self.render_to_response(self.get_context_data(bound=form))
        messages.success(request, f"已{step.label}。")
        return redirect("letters:detail", self.letter.pk)


# -- the publication review -----------------------------------------------------------------
class PublicationReviewView(LetterMixin, WagtailAdminTemplateMixin, TemplateView):
    """The dispatcher's review before publication: the proposed masks highlighted, each to keep
    or drop, fragments to add, the public text previewed; then 公开 or 不予公开."""

    template_name = "interaction/admin/publish.html"
    header_icon = "view"

    def get(self, request, *args, **kwargs):
        if not self._may_review():
            return redirect("letters:detail", self.letter.pk)
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request, *args, **kwargs):
        if not self._may_review():
            return redirect("letters:detail", self.letter.pk)
        form = self._form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        decision = request.POST.get("decision")
        if decision == "publish":
            return self._perform("publish", masks=form.masks())
        if decision == "withdraw":
            reason = form.cleaned_data["reason"].strip()
            if not reason:
                form.add_error("reason", "请填写不予公开的理由。")
                return self.render_to_response(self.get_context_data(form=form))
            return self._perform("withdraw", reason=reason)
        return self.render_to_response(self.get_context_data(form=form))

    def _may_review(self):
        if any(t.name == "publish" for t in self.available):
            return True
        messages.error(self.request, "这封信件现在不能审核公开。")
        return False

    @cached_property
    def proposed(self):
        return actions.proposed_masks(self.letter)

    def _form(self, data=None):
        return PublicationForm(data, letter=self.letter, proposed=self.proposed)

    def _perform(self, name, **data):
        try:
            actions.perform(self.letter, name, user=self.request.user, **data)
        except actions.TransitionError as error:
            messages.error(self.request, error.message)
            form = self._form(self.request.POST)
            return self.render_to_response(self.get_context_data(form=form))
        label = TRANSITIONS[name].label if name == "publish" else "不予公开"
        messages.success(self.request, f"已{label}。")
        return redirect("letters:detail", self.letter.pk)

    def get_page_title(self):
        return f"公开审核 {self.letter.query_code}"

    def get_context_data(self, form, **kwargs):
        chosen = form.masks() if form.is_bound and form.is_valid() else self.proposed
        fields = [
            {
                "label": label,
                "proposed": form.proposals(field),
                "marked": _segments(getattr(self.letter, field), chosen[field]),
                "public": redaction.apply(getattr(self.letter, field), chosen[field]),
            }
            for field, label in PUBLISHED_FIELDS.items()
        ]
        return super().get_context_data(letter=self.letter, form=form, fields=fields, **kwargs)


def _segments(text, masks):
    """The text in pieces, (piece, kind label or None), for highlighting masks with <mark>."""
    pieces, position = [], 0
    for mask in sorted(masks):
        pieces.append((text[position : mask.start], None))
        pieces.append((text[mask.start : mask.end], redaction.KIND_LABELS[mask.kind]))
        position = mask.end
    pieces.append((text[position:], None))
    return [piece for piece in pieces if piece[0]]


# -- attachments ----------------------------------------------------------------------------
class AttachmentView(LetterMixin, View):
    """A letter's file, to those who may see the letter; never from MEDIA_URL."""

    http_method_names = ["get"]

    def get(self, request, pk, attachment_id):
        attachment = get_object_or_404(self.letter.attachments, pk=attachment_id)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
