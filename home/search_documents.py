"""What the content model puts into the cluster's search index (see search.registry).

Every public page type is searchable: live, without view restrictions, and not an alias — a
syndicated copy (信息报送) is found through its source, once. A page belongs to the site whose
root (or a translation of it, such as the portal's English tree) contains it; a page outside
every site is not indexed. Archived sites stay indexed and are filtered out at query time, so
archiving and restoring are instant.
"""

from datetime import UTC, datetime

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site
from wagtail.rich_text import get_text_for_indexing

from search.documents import SearchDocument
from search.indexing import enqueue
from search.registry import SearchAdapter, document_id, register
from sites.models import SiteProfile

from .models import (
    ArticlePage,
    ColumnPage,
    InterpretationPage,
    PolicyDocumentPage,
    PolicyLibraryPage,
    PortalHomePage,
    SiteHomePage,
)
from .models.policies import VALIDITY_LABELS

UNDATED = datetime(2000, 1, 1, tzinfo=UTC)


class SiteDirectory:
    """Which site a page belongs to, by the url_path of the site roots (all locales)."""

    def __init__(self):
        profiles = {profile.site_id: profile for profile in SiteProfile.objects.all()}
        self.roots = [
            (root.root_path, profiles[root.site_id])
            for root in Site.get_site_root_paths()
            if root.site_id in profiles
        ]
        self.roots.sort(key=lambda pair: len(pair[0]), reverse=True)

    def profile_of(self, page):
        return next((p for path, p in self.roots if page.url_path.startswith(path)), None)

    def root_paths_of(self, profile):
        return [path for path, p in self.roots if p.pk == profile.pk]


class PageAdapter(SearchAdapter):
    """A page type as a search document: title, text, site, dates, language."""

    def __init__(self, kind, label):
        super().__init__()
        self.kind = kind
        self.kinds = {kind: label}

    def indexable(self):
        return (
            self.model.objects.exact_type(self.model)
            .live()
            .public()
            .filter(alias_of__isnull=True)
            .select_related("locale")
        )

    def to_documents(self, pages):
        sites = SiteDirectory()
        for page in pages:
            profile = sites.profile_of(page)
            if profile is None:
                continue
            published = self.published_at(page)
            yield SearchDocument(
                id=document_id(page),
                kind=self.kind,
                site_code=profile.code,
                site_name=profile.name,
                department=profile.sponsor,
                title=page.title,
                body=" ".join(part for part in self.texts(page) if part),
                url=page.get_full_url() or "",
                published_at=published,
                updated_at=page.last_published_at or published,
                language=page.locale.language_code,
                **self.metadata(page),
            )

    def published_at(self, page):
        # Pages created live by provisioning were never "published": they rank as the oldest.
        return (
            page.first_published_at
            or page.last_published_at
            or page.latest_revision_created_at
            or UNDATED
        )

    def texts(self, page):
        return [page.search_description]

    def metadata(self, page):
        return {}


class HomePageAdapter(PageAdapter):
    navigation = True

    def texts(self, page):
        return [page.intro, page.search_description]


class ColumnAdapter(PageAdapter):
    navigation = True

    def texts(self, page):
        return [get_text_for_indexing(page.intro), page.search_description]


class NavigationAdapter(PageAdapter):
    navigation = True


class ArticleAdapter(PageAdapter):
    def published_at(self, page):
        return page.published_at

    def texts(self, page):
        body = ArticlePage._meta.get_field("body").get_searchable_content(page.body)
        return [page.lead, *body]


class PolicyDocumentAdapter(ArticleAdapter):
    labels = {"validity": {key: str(label) for key, label in VALIDITY_LABELS.items()}}

    def metadata(self, page):
        return {
            "document_number": page.document_number,
            "issuing_organ": page.issuing_organ,
            "topic": page.topic,
            "validity": page.current_validity(),
        }


register(PortalHomePage, HomePageAdapter("home", _("网站首页")))
register(SiteHomePage, HomePageAdapter("home", _("网站首页")))
register(ColumnPage, ColumnAdapter("column", _("栏目")))
register(PolicyLibraryPage, NavigationAdapter("library", _("政策文件库")))
register(ArticlePage, ArticleAdapter("article", _("文章")))
register(PolicyDocumentPage, PolicyDocumentAdapter("policy", _("政策文件")))
register(InterpretationPage, ArticleAdapter("interpretation", _("政策解读")))


@receiver(pre_save, sender=SiteProfile)
def remember_site_identity(instance, **kwargs):
    old = SiteProfile.objects.filter(pk=instance.pk).values("name", "sponsor").first()
    instance._identity_before_save = old


@receiver(post_save, sender=SiteProfile)
def site_identity_changed(instance, created, **kwargs):
    """Every document of a site carries its name and sponsor: reindex them when they change."""
    old = getattr(instance, "_identity_before_save", None)
    if created or old is None or old == {"name": instance.name, "sponsor": instance.sponsor}:
        return
    for path in SiteDirectory().root_paths_of(instance):
        enqueue(Page.objects.filter(url_path__startswith=path).only("pk"))
