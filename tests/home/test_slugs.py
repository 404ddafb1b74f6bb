import pytest

from tests.factories import add_article, column, provision

pytestmark = pytest.mark.django_db


def test_chinese_titles_get_readable_ascii_slugs_unique_among_siblings():
    provision("www", "portal")
    news = column(provision("edu"), "gzdt")
    first = add_article(news, "关于开展安全生产检查的通知")
    second = add_article(news, "关于开展安全生产检查的通知")
    assert first.slug == "guanyukaizhananquanshengchanjianchadetongzhi"
    assert second.slug == f"{first.slug}-2"
