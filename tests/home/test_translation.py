"""The portal's English version: explicit translation with wagtail-localize, served at /en/."""

import re

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from home.translation import translate_portal
from tests.factories import provision

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    return provision("www", "portal", name="江州市人民政府"), provision("edu")


def get(client, path, host="localhost"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_portal_gets_an_english_version(client, cluster):
    pages = translate_portal()
    english = Locale.objects.get(language_code="en")
    assert {page.locale for page in pages} == {english}
    assert pages[0].title == "Jiangzhou Municipal People's Government"
    assert {page.slug for page in pages[1:]} >= {"yw", "tzgg", "zcwjk"}

    home = get(client, "/en/")
    assert '<html lang="en">' in home
    assert "Government websites" in home and "Skip to main content" in home
    library = get(client, "/en/zcwjk/")
    assert "<title>Policy Library" in library
    assert re.search(r'<a href="/zcwjk/" lang="zh-hans"[^>]*>简体中文</a>', library)
    assert '<html lang="zh-hans">' in get(client, "/zcwjk/")


def test_english_home_leaves_out_sections_with_nothing_translated(client, cluster):
    translate_portal()
    home = get(client, "/en/")
    assert "Nothing here yet" not in home
    assert 'class="home-section"' not in home  # no English items yet: no empty sections
    assert 'class="home-section"' in get(client, "/")  # the Chinese home keeps its sections


def test_translation_is_explicit_and_rerunnable(client, cluster):
    translate_portal()
    count = Page.objects.filter(locale__language_code="en").count()
    source = TranslationSource.objects.get(
        object_id=Page.objects.get(url_path="/www/yw/").translation_key
    )
    title = StringSegment.objects.get(source=source, string__data="要闻动态")
    StringTranslation.objects.filter(translation_of=title.string).update(data="Headlines")
    translate_portal()
    assert Page.objects.filter(locale__language_code="en").count() == count, "no duplicates"
    assert "<title>Headlines" in get(client, "/en/yw/")
    assert not Page.objects.filter(locale__language_code="en", url_path__startswith="/edu")


def test_department_sites_stay_single_language(client, cluster):
    translate_portal()
    assert "language-switch" not in get(client, "/", host="edu.localhost")


def test_command_reports_clear_errors(cluster):
    with pytest.raises(CommandError, match="语言「fr」未启用"):
        call_command("translate_portal", language="fr")
