"""Admin hooks of the wording checks: the two lists as snippets, warnings after saving.

The lists are platform-wide and only superusers edit them: no site role holds a permission on
either model, so Wagtail hides the 「内容规范」 menu from site staff and refuses its URLs.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.messages import render
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.models import ForbiddenExpression, Miswriting

from .lists import wording_lists
from .scan import describe_forbidden, describe_miswriting, find
from .text import page_segments


class ForbiddenExpressionViewSet(SnippetViewSet):
    """严重错误表述: wordings that block publishing anywhere in the cluster."""

    model = ForbiddenExpression
    icon = "warning"
    menu_label = "严重错误表述"
    menu_name = "forbidden-expressions"
    list_display = ["expression", "correct", "note"]
    search_fields = ["expression", "correct", "note"]


class MiswritingViewSet(SnippetViewSet):
    """常见错别字: wrong forms that earn the editor a warning, with the right form to use."""

    model = Miswriting
    icon = "edit"
    menu_label = "常见错别字"
    menu_name = "miswritings"
    list_display = ["wrong", "right"]
    search_fields = ["wrong", "right"]


class WordingChecksViewSetGroup(SnippetViewSetGroup):
    """「内容规范」 in the admin menu; shown only to users with a permission on either list."""

    items = (ForbiddenExpressionViewSet, MiswritingViewSet)
    menu_icon = "tasks"
    menu_label = "内容规范"
    menu_name = "wording-checks"
    menu_order = 160  # right after 站点


register_snippet(WordingChecksViewSetGroup)


def _message_with_list(intro, items):
    detail = format_html(
        '<ul class="errorlist">{}</ul>', format_html_join("", "<li>{}</li>", ((i,) for i in items))
    )
    return render(intro, None, detail=detail)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_wording(request, page):
    """After any save, list the mis-writings (and any forbidden expression a draft still holds).

    Publishing with a mis-writing goes through; the editor decides. The saved content is read
    back from the latest revision: after publishing, the view hands over the reloaded live page,
    which for a scheduled publication is not yet the text just saved.
    """
    if not request.accepts("text/html"):
        return  # autosave: a JSON answer shows no messages, they would pile up for later
    segments = list(page_segments(page.get_latest_revision_as_object()))
    lists = wording_lists()
    forbidden = find(segments, lists.forbidden)
    if forbidden:
        messages.warning(
            request,
            _message_with_list(
                "内容含严重错误表述，改正前不能发布或提交审核：",
                [describe_forbidden(finding) for finding in forbidden],
            ),
        )
    miswritings = find(segments, lists.miswritings)
    if miswritings:
        messages.warning(
            request,
            _message_with_list(
                "发现疑似错别字，请核对：",
                [describe_miswriting(finding) for finding in miswritings],
            ),
        )


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_forbidden(request, action_type, objects, action_view):
    """Bulk 发布 from a listing publishes drafts unseen, and drafts may hold forbidden text.

    Checks each page's latest revision (and, when asked to publish them too, its unpublished
    descendants) and publishes none of them if any holds a forbidden expression.
    """
    if action_type != "publish" or not isinstance(action_view, PageBulkAction):
        return None
    pages = list(objects)
    if action_view.cleaned_form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages.extend(page.get_descendants().not_live().specific())
    forbidden = wording_lists().forbidden
    problems = [
        f"《{page.get_admin_display_title()}》{describe_forbidden(finding)}"
        for page in pages
        for finding in find(page_segments(page.get_latest_revision_as_object()), forbidden)
    ]
    if not problems:
        return None
    messages.error(
        request, _message_with_list("以下页面含严重错误表述，未发布任何页面：", problems)
    )
    return redirect(action_view.next_url)
