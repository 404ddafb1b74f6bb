"""The whole-page cache stays correct: what is published shows at once, what is not never shows.

The world is a portal and two department sites sharing paths (every department has /gzdt/), so a
cache keyed on the path alone would serve one department's news on the other's site.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from home.models import InterpretationPage
from home.page_cache import CLUSTER_GENERATION, site_generation_key
from home.preferences import ELDER_MODE_COOKIE
from sites.models import SiteProfile
from tests.conftest import module_world
from tests.factories import add_article, add_policy, column, provision, role_users

pytestmark = pytest.mark.django_db


@module_world
def world():
    sites = {
        code: provision(code, kind)
        for code, kind in [("www", "portal"), ("east", "department"), ("west", "department")]
    }
    for code in ("east", "west"):
        add_article(column(sites[code], "gzdt"), f"{code}站已发布的动态").save_revision().publish()
    return sites


def publish_article(profile, column_slug, title):
    article = add_article(column(profile, column_slug), title, live=False)
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def host(profile):
    return profile.site.hostname


def get(client, profile, path, **headers):
    return client.get(path, headers={"host": host(profile), **headers})


def text(response):
    return response.content.decode()


def count_queries(client, profile, path):
    with CaptureQueriesContext(connection) as queries:
        response = get(client, profile, path)
    assert response.status_code == 200
    return len(queries)


def test_a_repeated_visit_is_served_from_the_cache(client, world):
    east = world["east"]
    first = count_queries(client, east, "/gzdt/")
    second = count_queries(client, east, "/gzdt/")
    assert first > 5
    assert second <= 2  # the site lookup (and nothing that renders the page)


def test_sites_sharing_a_path_never_share_a_cached_page(client, world):
    east, west = world["east"], world["west"]
    assert "east站已发布的动态" in text(get(client, east, "/gzdt/"))
    west_page = text(get(client, west, "/gzdt/"))
    assert "west站已发布的动态" in west_page
    assert "east站已发布的动态" not in west_page


def test_publishing_shows_at_once_on_the_site_and_the_portal(client, world):
    east = world["east"]
    get(client, east, "/gzdt/")
    get(client, world["www"], "/")

    publish_article(east, "gzdt", "刚刚发布的动态")

    assert "刚刚发布的动态" in text(get(client, east, "/gzdt/"))
    assert "刚刚发布的动态" in text(get(client, east, "/"))


def test_a_draft_never_shows_even_after_the_page_was_cached(client, world):
    east = world["east"]
    article = publish_article(east, "gzdt", "正式标题")
    url = article.get_url_parts()[2]
    assert "正式标题" in text(get(client, east, url))

    article.title = "尚未审核的草稿标题"
    article.save_revision()

    for path in (url, "/gzdt/", "/"):
        page = text(get(client, east, path))
        assert "尚未审核的草稿标题" not in page
    assert "正式标题" in text(get(client, east, url))


def test_an_editor_is_never_served_from_or_stored_in_the_cache(client, world):
    east = world["east"]
    editor = role_users(east)["editor"]
    client.force_login(editor)
    response = get(client, east, "/gzdt/")
    assert "ETag" not in response
    client.logout()
    assert count_queries(client, east, "/gzdt/") > 5  # nothing was stored for the editor


def test_unpublishing_removes_the_page_and_its_listing_entry_at_once(client, world):
    east = world["east"]
    article = publish_article(east, "gzdt", "即将撤下的动态")
    url = article.get_url_parts()[2]
    assert get(client, east, url).status_code == 200
    assert "即将撤下的动态" in text(get(client, east, "/gzdt/"))

    article.unpublish()

    assert get(client, east, url).status_code == 404
    assert "即将撤下的动态" not in text(get(client, east, "/gzdt/"))


def test_moving_a_page_moves_it_at_once(client, world):
    east = world["east"]
    article = publish_article(east, "gzdt", "将移到通知公告的动态")
    old_url = article.get_url_parts()[2]
    assert get(client, east, old_url).status_code == 200
    get(client, east, "/tzgg/")

    article.move(column(east, "tzgg"), pos="last-child")
    article.refresh_from_db()

    new_url = article.get_url_parts()[2]
    moved = get(client, east, old_url)  # Wagtail leaves a redirect at the old address
    assert moved.status_code == 301
    assert moved["Location"].endswith(new_url)
    assert get(client, east, new_url).status_code == 200
    assert "将移到通知公告的动态" in text(get(client, east, "/tzgg/"))


def test_deleting_a_page_removes_it_from_listings_at_once(client, world):
    east = world["east"]
    article = publish_article(east, "gzdt", "将被删除的动态")
    assert "将被删除的动态" in text(get(client, east, "/gzdt/"))

    Page.objects.get(pk=article.pk).delete()

    assert "将被删除的动态" not in text(get(client, east, "/gzdt/"))


def test_a_site_name_change_reaches_the_portal_directory(client, world):
    east = SiteProfile.objects.get(pk=world["east"].pk)  # the world's own object stays as it was
    assert "测试市east局" in text(get(client, world["www"], "/"))

    east.name = "测试市东区改名局"
    east.save()

    assert "测试市东区改名局" in text(get(client, world["www"], "/"))


def test_an_interpretation_on_the_portal_reaches_the_policy_page_on_its_own_site(client, world):
    east = world["east"]
    policy = add_policy(east, "东区的政策原文")
    policy_url = policy.get_url_parts()[2]
    assert "门户的政策解读" not in text(get(client, east, policy_url))

    interpretation = InterpretationPage(title="门户的政策解读", live=False)
    interpretation.policies = [policy]
    column(world["www"], "zcjd").add_child(instance=interpretation)
    interpretation.save_revision().publish()
    assert "门户的政策解读" in text(get(client, east, policy_url))

    Page.objects.get(pk=interpretation.pk).delete()
    assert "门户的政策解读" not in text(get(client, east, policy_url))


def test_a_publish_leaves_other_departments_cached(client, world):
    east, west = world["east"], world["west"]
    get(client, west, "/gzdt/")
    publish_article(east, "gzdt", "只影响东区的动态")
    assert count_queries(client, west, "/gzdt/") <= 2


def test_etag_and_last_modified_answer_not_modified_until_a_publish(client, world):
    east = world["east"]
    first = get(client, east, "/gzdt/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]

    assert get(client, east, "/gzdt/", if_none_match=etag).status_code == 304
    assert get(client, east, "/gzdt/", if_modified_since=modified).status_code == 304

    publish_article(east, "gzdt", "改变列表的新动态")

    after = get(client, east, "/gzdt/", if_none_match=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag


def test_elder_mode_and_normal_mode_are_cached_apart(client, world):
    east = world["east"]
    normal = text(get(client, east, "/gzdt/"))
    client.cookies[ELDER_MODE_COOKIE] = "1"
    elder = text(get(client, east, "/gzdt/"))
    assert 'class="elder"' not in normal
    assert 'class="elder"' in elder


def test_the_english_portal_is_cached_apart_from_the_chinese(client, world):
    from home.translation import translate_portal

    translate_portal()
    chinese = text(get(client, world["www"], "/"))
    english = text(get(client, world["www"], "/en/"))
    assert 'lang="zh-hans"' in chinese
    assert 'lang="en"' in english


def test_the_second_bump_after_commit_retires_pages_rendered_during_the_transaction(
    world, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    east = world["east"]
    key = site_generation_key(east.site_id)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish_article(east, "gzdt", "提交后再次失效")
        during = cache.get(key)
    assert callbacks
    assert cache.get(key) > during


def test_media_changes_retire_the_whole_cluster(world):
    from django.core.cache import cache

    from tests.factories import add_image

    cache.set(CLUSTER_GENERATION, 0.0, None)
    add_image(world["east"], "新图片")
    assert cache.get(CLUSTER_GENERATION) > 0.0


def test_with_the_cache_off_every_visit_renders(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    east = world["east"]
    response = get(client, east, "/gzdt/")
    assert "ETag" not in response
    assert count_queries(client, east, "/gzdt/") > 5
