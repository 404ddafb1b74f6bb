"""What an import line refers to on the platform: the site, its columns, earlier imports, files.

Everything here only reads, so a dry run goes through all of it. The mapping from a legacy URL to
its page is the Wagtail Redirect the import created for it (`imported_page`): no table of our
own, a mapping that follows the page wherever editors move it, and one that cannot disagree with
what visitors of the old address actually get.
"""

from pathlib import Path

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from home.models import ArticlePage, ColumnPage, PolicyDocumentPage
from home.models.base import site_profile_of
from sites.models import SiteProfile

from .errors import LineError
from .records import LegacyAddress


class TargetError(Exception):
    """The import cannot start at all (unknown or archived site); no line is read."""


class ImportTarget:
    """The site an import file goes into and the folder its attachments are read from."""

    def __init__(self, site_code, folder):
        profile = (
            SiteProfile.objects.select_related("site__root_page", "collection")
            .filter(code=site_code)
            .first()
        )
        if profile is None:
            raise TargetError(f"站点「{site_code}」不存在")
        if profile.is_archived:
            raise TargetError(f"站点「{profile.name}」已归档，不能导入内容")
        self.profile = profile
        self.home = profile.site.root_page
        self.folder = Path(folder).resolve()
        self._column_ids = {}
        self._sites = {site.hostname.lower(): site for site in Site.objects.all()}
        self._planned_policies = {}

    @property
    def collection(self):
        return self.profile.collection

    def column(self, path):
        """The column at `path` (slugs under the site's home page).

        Only its id is cached: the page itself is fetched for every line, because a cached page
        would carry a child count that a rolled-back line had already raised into the tree.
        """
        if path not in self._column_ids:
            self._column_ids[path] = (
                ColumnPage.objects.filter(url_path=f"{self.home.url_path}{path}/")
                .values_list("pk", flat=True)
                .first()
            )
        if self._column_ids[path] is None:
            raise LineError(
                f"栏目「{path}」不存在：须为本站（{self.profile.name}）已有栏目的路径，"
                "如 gzdt 或 zfxxgk/fdzdgknr/zcwj"
            )
        return ColumnPage.objects.get(pk=self._column_ids[path])

    def check_legacy_host(self, address):
        """LineError unless `address` is on this site's host or an old domain declared for it:
        an import must never take over another site's addresses."""
        own = {self.profile.site.hostname.lower(), *self.profile.legacy_host_names}
        if address.host.lower() not in own:
            raise LineError(
                f"旧网址「{address.url}」的域名 {address.host} 不属于本站：须为本站域名"
                f"（{self.profile.site.hostname}）或本站登记的旧网站域名（站点 → 旧网站域名）"
            )

    def redirect_site(self, address):
        """The Site whose visitors the redirect of `address` answers.

        The site served on the old host when the platform serves that host (the old domain was
        kept), so the same path on two sites stays two items. Otherwise None, a redirect for
        every host: an old domain pointed at the platform later matches no Site, and Wagtail
        then treats its requests as the default site's.
        """
        return self._sites.get(address.host)

    def legacy_key(self, address):
        """What makes two legacy addresses the same item: exactly what a Redirect matches on."""
        site = self.redirect_site(address)
        return (site.pk if site else None, address.path)

    def imported_page(self, address):
        """The page imported earlier from `address`, or None.

        LineError when the address already redirects somewhere else: a redirect made by hand,
        or an item imported into another site; taking it over would break what it points to.
        """
        redirect = self._redirect(address)
        if redirect is None:
            return None
        page = redirect.redirect_page
        if page is None or not issubclass(page.specific_class or object, ArticlePage):
            raise LineError(
                f"旧网址「{address.url}」已有一条重定向（指向 {redirect.link or '空地址'}），"
                "并非导入的条目；如需导入，请先在管理后台「重定向」中删除它"
            )
        if not page.path.startswith(self.home.path):
            owner = site_profile_of(page)
            raise LineError(
                f"旧网址「{address.url}」已导入到{owner.name if owner else '其他站点'}"
                f"的「{page.title}」，不能再导入到本站"
            )
        return page.specific

    def policy(self, reference):
        """The policy document an interpretation names by legacy address or by 发文字号."""
        if isinstance(reference, LegacyAddress):
            redirect = self._redirect(reference)
            page = redirect.redirect_page.specific if redirect and redirect.redirect_page else None
            found = page if isinstance(page, PolicyDocumentPage) else None
            described = f"旧网址为「{reference.url}」"
        else:
            found = self._policy_by_number(reference)
            described = f"发文字号为「{reference}」"
        found = found or self._planned_policies.get(self._policy_key(reference))
        if found is None:
            raise LineError(
                f"未找到{described}的政策文件：须先导入该政策文件（或在同一文件中排在本行之前）"
            )
        return found

    def remember_policy(self, record, page):
        """Keep a policy a dry run planned but did not save, for the interpretations after it."""
        self._planned_policies[self.legacy_key(record.legacy)] = page
        if record.policy.document_number:
            self._planned_policies[record.policy.document_number] = page

    def attachment_file(self, reference, extensions):
        """The file of an attachment, which must lie in the import file's folder."""
        path = (self.folder / reference.path).resolve()
        if not path.is_relative_to(self.folder):
            raise LineError(f"附件「{reference.path}」不在导入文件所在的目录之内")
        if not path.is_file():
            raise LineError(f"附件文件「{reference.path}」不存在")
        if path.suffix.lower().lstrip(".") not in extensions:
            allowed = "、".join(extension.upper() for extension in extensions)
            raise LineError(f"附件「{reference.path}」的格式不允许，须为：{allowed}")
        return path

    def _redirect(self, address):
        return (
            Redirect.objects.filter(site=self.redirect_site(address), old_path=address.path)
            .select_related("redirect_page")
            .first()
        )

    def _policy_by_number(self, number):
        candidates = list(PolicyDocumentPage.objects.filter(document_number=number))
        if len(candidates) > 1:
            candidates = [page for page in candidates if page.path.startswith(self.home.path)]
        if len(candidates) > 1:
            raise LineError(f"发文字号「{number}」对应多个政策文件，请改用该文件的旧网址")
        return candidates[0] if candidates else None

    def _policy_key(self, reference):
        if isinstance(reference, LegacyAddress):
            return self.legacy_key(reference)
        return reference
