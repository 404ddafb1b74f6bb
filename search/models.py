"""What the search app stores in the main database: synonyms, the queue of index updates,
search analytics and best bets."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .normalise import normalise_query

TERM_SEPARATORS = re.compile(r"[\s,，、;；]+")


class SynonymGroup(models.Model):
    """Words a citizen may use for the same thing (社保 / 社会保险), searched as one.

    Platform-wide, edited by platform admins only; a query containing any member also finds the
    others (search.synonyms). Seeded with the common government abbreviations.
    """

    terms = models.CharField(
        _("同义词"),
        max_length=300,
        help_text=_("两个或以上词语，用逗号、顿号或空格分隔，例如：社保，社会保险"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["terms"]

    def __str__(self):
        return "、".join(self.term_list())

    def term_list(self):
        return list(dict.fromkeys(t for t in TERM_SEPARATORS.split(self.terms) if t))

    def clean(self):
        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError({"terms": _("同义词组至少需要两个不同的词语。")})
        others = SynonymGroup.objects.exclude(pk=self.pk)
        taken = {term for group in others for term in group.term_list()}
        clash = [term for term in terms if term in taken]
        if clash:
            raise ValidationError(
                {"terms": _("“%s”已在其他同义词组中，一个词只能属于一个组。") % "、".join(clash)}
            )
        self.terms = "，".join(terms)


class PendingIndexUpdate(models.Model):
    """One object whose search document must be brought up to date: the durable work queue.

    Written in the same transaction as the change that caused it, so it exists exactly when the
    change was committed; removed once every backend has applied it. A row that failed stays,
    with its error, until `search_catch_up` or the next successful update applies it.
    """

    document_id = models.CharField(max_length=200, unique=True)
    model_label = models.CharField(max_length=100)  # the root concrete model, e.g. wagtailcore.page
    object_pk = models.CharField(max_length=64)
    queued_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("待更新的搜索索引")
        verbose_name_plural = _("待更新的搜索索引")
        ordering = ["queued_at", "pk"]

    def __str__(self):
        return self.document_id


class DailySearchCount(models.Model):
    """How often one query was searched on one site on one day, and how often it found nothing.

    The whole of search analytics (search.analytics): the hot searches under every search box and
    the 搜索统计 report read it. Anonymous by design: no IP address, user, session, user agent or
    time of day is kept, only the normalised words, the site that answered and the date, so there
    is nothing personal in it to protect or erase. Written by the search page and the API, one
    counted search at a time; never edited by anyone.
    """

    day = models.DateField(_("日期"))
    site = models.ForeignKey(
        "sites.SiteProfile", on_delete=models.CASCADE, related_name="+", verbose_name=_("站点")
    )
    query = models.CharField(_("搜索词"), max_length=100)
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)
    zero_results = models.PositiveIntegerField(_("无结果次数"), default=0)

    class Meta:
        verbose_name = _("每日搜索统计")
        verbose_name_plural = _("每日搜索统计")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "site", "query"], name="one_search_count_per_day_site_query"
            )
        ]
        indexes = [models.Index(fields=["site", "day"], name="search_count_site_day")]

    def __str__(self):
        return f"{self.day} {self.query}"


class DailySearchClient(models.Model):
    """One client that searched one query on one day, known only by a salted hash.

    Hot searches count distinct clients, so one visitor repeating a query cannot make it hot.
    The hash is of the client's address and browser with a random salt that lives only in the
    cache for the day (search.analytics): once the day is over nobody can tell who it was, and
    the rows are deleted after the hot-search window. Never shown to anyone.
    """

    day = models.DateField(_("日期"))
    site = models.ForeignKey(
        "sites.SiteProfile", on_delete=models.CASCADE, related_name="+", verbose_name=_("站点")
    )
    query = models.CharField(_("搜索词"), max_length=100)
    client = models.CharField(_("访客标识（加盐散列）"), max_length=32)

    class Meta:
        verbose_name = _("搜索访客")
        verbose_name_plural = _("搜索访客")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "site", "query", "client"], name="one_client_per_day_site_query"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.query}"


class HotSearchDecision(models.Model):
    """A platform admin's word on one query as a hot search (热门搜索): blocked, or approved.

    Platform admins only. A blocked query is never shown under a search box; with
    `HOT_SEARCHES_NEED_APPROVAL` on, a query is shown only once it is approved here.
    """

    query = models.CharField(
        _("搜索词"), max_length=100, unique=True, help_text=_("与访客输入的搜索词完全相同。")
    )
    approved = models.BooleanField(
        _("允许显示"), default=False, help_text=_("不勾选：从热门搜索中屏蔽此词。")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("热门搜索审核")
        verbose_name_plural = _("热门搜索审核")
        ordering = ["query"]

    def __str__(self):
        return self.query

    def save(self, *args, **kwargs):
        self.query = normalise_query(self.query)
        super().save(*args, **kwargs)


@receiver([post_save, post_delete], sender=HotSearchDecision)
def _forget_hot_searches(**kwargs):
    from .analytics import forget_hot_searches

    forget_hot_searches()


TRIGGER_SEPARATORS = re.compile(r"[,，、;；\r\n]+")


class BestBet(models.Model):
    """置顶推荐: one target pinned above the search results of the queries it answers.

    Platform admins (superusers: no group holds a permission on it) pin, for one or more trigger
    terms, the page of the cluster or the external address a citizen searching them is looking
    for, on all sites or on one, optionally for a period. A search shows it when its normalised
    words equal a trigger term or a synonym of one (search.best_bets), above the results on
    the search page and as `best_bets` in the API.
    """

    terms = models.CharField(
        _("触发搜索词"),
        max_length=300,
        help_text=_(
            "一个或多个搜索词，用逗号、顿号或换行分隔；搜索词（或其同义词）与其中之一完全相同时显示。"
        ),
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.CharField(_("简介"), max_length=200, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("站内页面"),
    )
    external_url = models.URLField(
        _("外部链接"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("以 http:// 或 https:// 开头的完整网址。"),
    )
    site = models.ForeignKey(
        "sites.SiteProfile",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用站点"),
        help_text=_("留空表示在所有站点的搜索中显示。"),
    )
    active_from = models.DateTimeField(_("开始时间"), null=True, blank=True)
    active_until = models.DateTimeField(_("结束时间"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("同一搜索词有多条推荐时，数字小的在前。")
    )

    class Meta:
        verbose_name = _("置顶推荐")
        verbose_name_plural = _("置顶推荐")
        ordering = ["sort_order", "title", "pk"]

    def __str__(self):
        return self.title

    def term_list(self):
        terms = (normalise_query(term) for term in TRIGGER_SEPARATORS.split(self.terms))
        return list(dict.fromkeys(term for term in terms if term))

    def clean(self):
        errors = {}
        terms = self.term_list()
        if not terms:
            errors["terms"] = _("请至少填写一个触发搜索词。")
        if self.page_id and self.external_url:
            errors["external_url"] = _("站内页面和外部链接只能二选一，请删去其中一个。")
        elif not self.page_id and not self.external_url:
            errors["external_url"] = _("请选择一个站内页面，或填写一个外部链接。")
        if self.active_from and self.active_until and self.active_until <= self.active_from:
            errors["active_until"] = _("结束时间必须晚于开始时间。")
        if errors:
            raise ValidationError(errors)
        self.terms = "，".join(terms)


@receiver([post_save, post_delete], sender=BestBet)
def best_bets_changed(**kwargs):
    from .best_bets import forget_best_bets  # imports this module

    forget_best_bets()


@receiver([post_save, post_delete], sender="home.ForbiddenExpression")
def forbidden_expressions_changed(**kwargs):
    from .analytics import forget_hot_searches  # imports this module

    forget_hot_searches()
