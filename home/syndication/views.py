"""Admin screens of the shared resource library: submit, accept, reject, push.

Each is a confirmation screen (what is about to happen, one form, one button) in front of one
service function. A refused user gets 403 or 404; a rule the content breaks comes back as the
service's own sentence.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from ..models import Submission
from .forms import DecisionForm, PushForm, RejectForm, SubmitForm
from .permissions import can_review
from .services import (
    SyndicationError,
    accept,
    check_pushable,
    column_path_of,
    push,
    reject,
    submit,
    submitting_site,
)


def shown_time(moment):
    """A moment as the national rules want times shown: local, YYYY-MM-DD HH:MM."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class ConfirmationView(WagtailAdminTemplateMixin, FormView):
    template_name = "admin/form_page.html"
    header_icon = "upload"
    submit_label = None
    serious = False

    def get_summary(self):
        """(label, value) pairs describing what the form acts on."""
        return []

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summary=self.get_summary(),
            submit_label=self.submit_label,
            serious=self.serious,
            **kwargs,
        )


class PageActionView(ConfirmationView):
    """A page action: refuses with the service's sentence, back on the page's edit screen."""

    def check(self, page, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        try:
            self.check(self.page, request.user)
        except SyndicationError as error:
            messages.error(request, str(error))
            return redirect("wagtailadmin_pages:edit", self.page.pk)
        return super().dispatch(request, *args, **kwargs)


class SubmitView(PageActionView):
    page_title = "报送至门户网站"
    form_class = SubmitForm
    submit_label = "报送"

    def check(self, page, user):
        self.source_site = submitting_site(page, user)

    def get_summary(self):
        return [("报送内容", self.page.title), ("报送单位", self.source_site.name)]

    def form_valid(self, form):
        column = form.cleaned_data["target_column"]
        try:
            submit(self.page, column, self.request.user)
        except SyndicationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"「{self.page.title}」已报送至门户网站「{column.title}」栏目，请等待门户审核。",
        )
        return redirect("syndication:index")


class PushView(PageActionView):
    page_title = "推送至各站点"
    header_icon = "resubmit"
    template_name = "syndication/push.html"
    form_class = PushForm
    submit_label = "推送"

    def check(self, page, user):
        check_pushable(page, user)

    def get_initial(self):
        return {"column_path": column_path_of(self.page)}

    def get_summary(self):
        return [("推送内容", self.page.title)]

    def form_valid(self, form):
        try:
            report = push(
                self.page,
                form.cleaned_data["sites"],
                form.cleaned_data["column_path"],
                self.request.user,
            )
        except SyndicationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, report.summary)
        return redirect("wagtailadmin_pages:edit", self.page.pk)


class DecisionView(ConfirmationView):
    """Accept or reject one submission; only its portal's reviewers reach the form."""

    decide = None
    verb = None
    success_message = None

    def dispatch(self, request, *args, **kwargs):
        self.submission = get_object_or_404(
            Submission.objects.visible_to(request.user).select_related(
                "source", "source_site", "target_column", "target_site"
            ),
            pk=kwargs["pk"],
        )
        if not can_review(request.user, self.submission.target_site):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.verb}报送"

    def get_summary(self):
        submission = self.submission
        return [
            ("报送内容", submission.source.title),
            ("报送单位", submission.source_site.name),
            ("报送栏目", submission.target_column.title),
            ("报送时间", shown_time(submission.submitted_at)),
        ]

    def form_valid(self, form):
        try:
            self.decide(self.submission, self.request.user, form.cleaned_data["reason"])
        except SyndicationError as error:
            messages.error(self.request, str(error))
            return redirect("syndication:inspect", self.submission.pk)
        messages.success(
            self.request,
            self.success_message.format(
                title=self.submission.source.title, column=self.submission.target_column.title
            ),
        )
        return redirect("syndication:index")


class AcceptView(DecisionView):
    form_class = DecisionForm
    decide = staticmethod(accept)
    verb = "采用"
    submit_label = "确认采用"
    success_message = "已采用「{title}」，它已出现在门户网站「{column}」栏目。"


class RejectView(DecisionView):
    form_class = RejectForm
    decide = staticmethod(reject)
    verb = "不予采用"
    submit_label = "确认不予采用"
    success_message = "已退回「{title}」，报送单位可在「信息报送」中看到理由。"
    serious = True
