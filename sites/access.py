"""Which site answers a request, and what an admin user may see and reference (一分散).

The one rule of isolation, asked by every chooser, admin API, report, form and gate:
- a platform admin (superuser) sees everything;
- a site role sees and references its own sites' pages, media, colleagues, workflows and
  site-owned rows, and nothing else of theirs;
- where linking across sites is intended (a policy another site interprets, a page linked in
  rich text), it may reference another site's page only once it is live and public: published,
  under no view restriction, on an active site.
"""

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.functional import cached_property
from taggit.models import Tag
from wagtail.admin.models import EditingSession
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Page,
    PageViewRestriction,
    Revision,
    Site,
    Task,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowState,
)
from wagtail.snippets.models import get_snippet_models

from .models import SiteProfile


def profile_for_request(request):
    """The SiteProfile of the site answering this request (cached on the request)."""
    if not hasattr(request, "_site_profile"):
        site = Site.find_for_request(request)
        request._site_profile = (
            SiteProfile.objects.filter(site=site).select_related("site", "logo").first()
            if site
            else None
        )
    return request._site_profile


def _under(paths, field="path"):
    """Rows whose tree path lies under one of `paths` (no paths: no rows)."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths))


def public_pages_q():
    """Live pages under no view restriction, on an active site: what anyone may read."""
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    archived = SiteProfile.objects.exclude(status=SiteProfile.Status.ACTIVE).values_list(
        "site__root_page__path", flat=True
    )
    hidden = [*restricted, *archived]
    return Q(live=True) & ~_under(hidden) if hidden else Q(live=True)


class AdminScope:
    """What one admin user may see and reference. Built once per user object (`scope_of`)."""

    def __init__(self, user):
        self.user = user
        self.everything = user.is_active and user.is_superuser

    @cached_property
    def sites(self):
        return list(SiteProfile.objects.visible_to(self.user).select_related("site__root_page"))

    @cached_property
    def _root_paths(self):
        return [profile.site.root_page.path for profile in self.sites]

    @cached_property
    def _collection_paths(self):
        return list(
            Collection.objects.filter(
                pk__in=[profile.collection_id for profile in self.sites]
            ).values_list("path", flat=True)
        )

    @cached_property
    def _public_pages_q(self):
        # Two queries (restrictions, archived sites): once per user and request, not per check.
        return public_pages_q()

    def own_pages_q(self):
        return Q() if self.everything else _under(self._root_paths)

    def pages(self, queryset=None):
        """Pages the user works on: those of their own sites."""
        queryset = Page.objects.all() if queryset is None else queryset
        return queryset if self.everything else queryset.filter(self.own_pages_q())

    def referenceable_pages(self, queryset=None):
        """Pages the user may link to or choose: their own, and other sites' public pages."""
        queryset = Page.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(self.own_pages_q() | (self._public_pages_q & Q(depth__gt=1)))

    def listable_pages(self, queryset=None):
        """Pages a chooser may list by title: admin listings show the latest draft's title, so
        another site's page is listed only while its draft adds nothing to what is public."""
        queryset = Page.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        # An id list, not a has_unpublished_changes filter: the chooser's search backend can
        # only filter on Page's declared search fields.
        revised = list(
            Page.objects.filter(live=True, has_unpublished_changes=True)
            .exclude(self.own_pages_q())
            .values_list("pk", flat=True)
        )
        public = self._public_pages_q & Q(depth__gt=1) & ~Q(pk__in=revised)
        return queryset.filter(self.own_pages_q() | public)

    def collections(self, queryset=None):
        queryset = Collection.objects.all() if queryset is None else queryset
        return queryset if self.everything else queryset.filter(_under(self._collection_paths))

    def media(self, queryset):
        """Images or documents: those in the user's own sites' collections."""
        if self.everything:
            return queryset
        return queryset.filter(collection__in=self.collections())

    def tags(self, model=None):
        """Tags used by the images and documents the user sees (of `model` only, if given)."""
        used = Q(pk__in=[])
        for media_model in (get_image_model(), get_document_model()):
            if model is None or issubclass(model, media_model):
                used |= Q(
                    taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(
                        media_model
                    ),
                    taggit_taggeditem_items__object_id__in=self.media(
                        media_model.objects.all()
                    ).values("pk"),
                )
        return Tag.objects.filter(used).distinct()

    def users(self, queryset=None):
        """Colleagues: the users of the user's own sites' groups (and the user)."""
        queryset = get_user_model().objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(
            Q(groups__site_group__profile__in=self.sites) | Q(pk=self.user.pk)
        ).distinct()

    def workflows(self, queryset=None):
        queryset = Workflow.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(
            workflow_pages__page__in=[profile.site.root_page for profile in self.sites]
        ).distinct()

    def tasks(self, queryset=None):
        queryset = Task.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(workflow_tasks__workflow__in=self.workflows()).distinct()

    def _own_page_ids(self):
        """Own page ids as text, the type of the generic object_id columns."""
        return self.pages().annotate(text_id=Cast("pk", CharField())).values("text_id")

    def _about_own_pages(self, queryset):
        """Rows of a generic relation to pages (revisions, workflow states): the own pages'."""
        if self.everything:
            return queryset
        return queryset.filter(
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
            object_id__in=self._own_page_ids(),
        )

    def workflow_states(self, queryset=None):
        return self._about_own_pages(WorkflowState.objects.all() if queryset is None else queryset)

    def task_states(self, queryset=None):
        queryset = TaskState.objects.all() if queryset is None else queryset
        if self.everything:
            return queryset
        return queryset.filter(workflow_state__in=self.workflow_states())

    def revisions(self, queryset=None):
        return self._about_own_pages(Revision.objects.all() if queryset is None else queryset)

    def site_profiles(self, queryset=None):
        queryset = SiteProfile.objects.all() if queryset is None else queryset
        return queryset if self.everything else queryset.filter(pk__in=[p.pk for p in self.sites])

    def platform_only(self, model):
        """A snippet no site role holds a permission on (best bets, synonyms, wording lists)."""
        if self.everything or model not in get_snippet_models():
            return False
        meta = model._meta
        return not any(
            self.user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")
            for action in ("add", "change", "delete", "view")
        )

    def restrict(self, queryset, choosing=False):
        """`queryset` narrowed to the rows the user may see; rows of models no site owns pass.

        `choosing`: the rows are offered to link to, so other sites' public pages are included.
        """
        if self.everything:
            return queryset
        model = queryset.model
        if issubclass(model, Page):
            return self.listable_pages(queryset) if choosing else self.pages(queryset)
        if issubclass(model, (get_image_model(), get_document_model())):
            return self.media(queryset)
        for base, narrow in self._narrowing:
            if issubclass(model, base):
                return narrow(queryset)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(self.user)
        if self.platform_only(model):
            return queryset.none()
        return queryset

    @property
    def _narrowing(self):
        return (
            (Collection, self.collections),
            (Workflow, self.workflows),
            (Task, self.tasks),
            (WorkflowState, self.workflow_states),
            (TaskState, self.task_states),
            (Revision, self.revisions),
            (SiteProfile, self.site_profiles),
            (get_user_model(), self.users),
            (Tag, lambda tags: tags.filter(pk__in=self.tags())),
            (Group, lambda groups: groups.filter(site_group__profile__in=self.sites)),
            (Site, lambda sites: sites.filter(profile__in=self.sites)),
            (UploadedFile, lambda files: files.filter(uploaded_by_user=self.user)),
            (EditingSession, lambda sessions: sessions.filter(user=self.user)),
        )


def scope_of(user):
    """The user's AdminScope, kept on the user object for the length of a request."""
    scope = getattr(user, "_admin_scope", None)
    if scope is None:
        scope = user._admin_scope = AdminScope(user)
    return scope
