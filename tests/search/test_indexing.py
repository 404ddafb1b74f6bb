"""The index stays true (issue 5, point 3): real pages, real signals, updates after commit.

`committed()` runs what a commit would (the on-commit index task) when its block ends; without
it, nothing reaches the index, exactly as with a transaction that rolls back.
"""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from home.models import PolicyDocumentPage
from home.translation import translate_portal
from search.backends import primary_backend
from search.chinese import analyse
from search.models import PendingIndexUpdate
from search.query import SearchQuery
from search.service import search
from sites.archiving import archive_site, restore_site
from tests.conftest import module_world
from tests.factories import add_article, column, provision

from .conftest import UNREACHABLE, elasticsearch_config, embedded_config, search_setting

pytestmark = pytest.mark.django_db


@module_world
def world():
    return {
        "portal": provision("www", "portal", name="江州市人民政府"),
        "fgw": provision("fgw", name="江州市发展和改革委员会"),
        "qhq": provision("qhq", "district", name="江州市清河区人民政府"),
    }


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def indexed():
    """Every document in the primary index, by id (archived sites included)."""
    documents, page = {}, 1
    while len(documents) < len(primary_backend().fingerprints()):
        query = SearchQuery(page=page, page_size=50, facets=())
        hits = primary_backend().search(query, analyse("")).hits
        documents.update((hit.document.id, hit.document) for hit in hits)
        page += 1
    return documents


def key(page):
    return f"wagtailcore.page:{page.pk}"


def publish_article(world, site, title, **fields):
    article = add_article(column(world[site], "gzdt"), title, live=False, **fields)
    article.save_revision().publish()
    return article


def test_publishing_indexes_the_page(world, committed):
    with committed():
        article = publish_article(world, "fgw", "全市安全生产工作会议召开", lead="部署安全生产")
    document = indexed()[key(article)]
    article.refresh_from_db()
    assert (document.kind, document.site_code, document.site_name) == (
        "article",
        "fgw",
        "江州市发展和改革委员会",
    )
    assert document.url == article.get_full_url()
    assert document.body == "部署安全生产"
    assert document.language == "zh-hans"
    assert not PendingIndexUpdate.objects.exists()


def test_policy_documents_carry_their_metadata(world, committed):
    with committed():
        policy = column(world["fgw"], "zfxxgk/fdzdgknr/zcwj").add_child(
            instance=PolicyDocumentPage(
                title="江州市优化营商环境若干措施",
                document_number="江发改发〔2025〕8号",
                written_date="2025-03-01",
                topic="综合政务",
            )
        )
    document = indexed()[key(policy)]
    assert document.kind == "policy"
    assert document.document_number == "江发改发〔2025〕8号"
    assert document.issuing_organ == world["fgw"].sponsor
    assert document.validity == "valid"
    assert search(SearchQuery("江发改发〔2025〕8号")).hits[0].document.id == key(policy)


def test_drafts_do_not_reach_the_index(world, committed):
    with committed():
        article = publish_article(world, "fgw", "原标题：城市供水")
        article.title = "草稿标题：城市排水"
        article.save_revision()
    assert indexed()[key(article)].title == "原标题：城市供水"


def test_unpublishing_and_deleting_remove_the_document(world, committed):
    with committed():
        first = publish_article(world, "fgw", "第一篇")
        second = publish_article(world, "qhq", "第二篇")
    first.refresh_from_db()  # live now: publish() changed the row, not this instance
    with committed():
        first.unpublish()
        second.delete()
    assert key(first) not in indexed() and key(second) not in indexed()


def test_moving_a_page_updates_its_site_and_url(world, committed):
    with committed():
        article = publish_article(world, "fgw", "移动的文章")
    with committed():
        article.move(column(world["qhq"], "gzdt"), pos="last-child")
    document = indexed()[key(article)]
    article.refresh_from_db()
    assert document.site_code == "qhq" and document.url == article.get_full_url()


def test_aliases_are_not_indexed_twice(world, committed):
    with committed():
        article = publish_article(world, "fgw", "报送门户的稿件")
        alias = article.create_alias(parent=column(world["portal"], "yw"))
    assert key(article) in indexed() and key(alias) not in indexed()
    assert search(SearchQuery("报送门户")).total == 1


def test_view_restrictions_hide_the_subtree(world, committed):
    with committed():
        article = publish_article(world, "fgw", "内部通知")
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    assert key(article) not in indexed()
    with committed():
        restriction.delete()
    assert key(article) in indexed()


def test_renaming_a_site_reindexes_its_pages(world, committed):
    with committed():
        article = publish_article(world, "qhq", "清河区新闻")
    profile = world["qhq"]
    with committed():
        profile.name = "江州市清河区政府"
        profile.save()
    assert indexed()[key(article)].site_name == "江州市清河区政府"


def test_the_english_tree_is_indexed_in_english(world, committed):
    with committed():
        pages = translate_portal()
    documents = indexed()
    english = [documents[key(page)] for page in pages if key(page) in documents]
    assert english and {d.language for d in english} == {"en"}
    assert {d.site_code for d in english} == {"www"}
    results = search(SearchQuery("", filters={"language": "en"}, page_size=50))
    assert results.total == len(english)


def test_archived_sites_leave_the_results(world, committed):
    with committed():
        publish_article(world, "fgw", "河道整治方案")
        publish_article(world, "qhq", "河道整治进展")
    archive_site(world["qhq"])
    results = search(SearchQuery("河道整治"))
    assert [h.document.site_code for h in results.hits] == ["fgw"]
    assert [v.value for v in results.facets["site_code"]] == ["fgw"]
    restore_site(world["qhq"])
    assert search(SearchQuery("河道整治")).total == 2


def test_publishing_survives_an_unreachable_index_and_catches_up(
    world, committed, settings, tmp_path
):
    blocker = tmp_path / "index-volume"
    blocker.write_text("not mounted")  # the index directory cannot be created: a real failure
    settings.SEARCH = search_setting(
        "embedded", embedded=embedded_config(blocker / "index.sqlite3")
    )
    with committed():
        article = publish_article(world, "fgw", "停电期间发布的通知")
    article.refresh_from_db()
    assert article.live
    row = PendingIndexUpdate.objects.get(document_id=key(article))
    assert row.attempts == 1 and "index.sqlite3" in row.last_error

    blocker.unlink()  # the volume is back
    blocker.mkdir()
    call_command("search_catch_up")
    assert not PendingIndexUpdate.objects.exists()
    assert key(article) in indexed()


def test_the_next_update_retries_earlier_failures(world, committed, settings, tmp_path):
    blocker = tmp_path / "index-volume"
    blocker.write_text("")
    settings.SEARCH = search_setting(
        "embedded", embedded=embedded_config(blocker / "index.sqlite3")
    )
    with committed():
        first = publish_article(world, "fgw", "第一篇")
    blocker.unlink()
    blocker.mkdir()
    with committed():
        second = publish_article(world, "qhq", "第二篇")
    assert {key(first), key(second)} <= indexed().keys()
    assert not PendingIndexUpdate.objects.exists()


def test_elasticsearch_outage_publishing_and_searching(world, committed, settings, index_path):
    """Point 8 with a real refused connection: publishing succeeds and queues the update, the
    embedded index stays current and answers; without a fallback the answer is `limited`."""
    settings.SEARCH = search_setting(
        "elasticsearch",
        fallback="embedded",
        elasticsearch=elasticsearch_config(UNREACHABLE),
        embedded=embedded_config(index_path),
    )
    with committed():
        article = publish_article(world, "fgw", "防汛抗旱应急预案")
    article.refresh_from_db()
    assert article.live
    row = PendingIndexUpdate.objects.get(document_id=key(article))
    assert row.last_error.startswith("elasticsearch: ")

    results = search(SearchQuery("防汛"))
    assert results.fallback and results.backend == "embedded" and not results.limited
    assert [h.document.id for h in results.hits] == [key(article)]

    settings.SEARCH = {**settings.SEARCH, "FALLBACK": None}
    results = search(SearchQuery("防汛"))
    assert results.limited and results.total == 0 and not results.hits
