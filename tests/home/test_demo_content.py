"""The demo set-up: every must-update column filled and fresh, deterministic text, demo accounts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from home.demo_content import fill_site
from home.models import ArticlePage, ColumnPage
from sites.models import SiteProfile
from tests.factories import provision

pytestmark = pytest.mark.django_db


def test_every_leaf_and_must_update_column_is_filled_and_fresh():
    provision("www", "portal")
    for profile in [
        SiteProfile.objects.get(code="www"),
        provision("edu"),
        provision("qx", "district"),
    ]:
        fill_site(profile)
        now = timezone.now()
        for column in ColumnPage.objects.descendant_of(profile.home_page):
            items = ArticlePage.objects.child_of(column).live()
            if column.get_children().type(ColumnPage).exists():
                continue
            assert items.exists(), f"{profile.code}/{column.slug} is blank"
            if column.update_days:
                newest = items.order_by("-published_at").first().published_at
                assert now - newest < timedelta(days=column.update_days), column.url_path


def test_demo_text_is_deterministic():
    provision("www", "portal")
    profile = provision("edu")
    fill_site(profile)
    first = list(ArticlePage.objects.descendant_of(profile.home_page).values_list("title", "slug"))
    ArticlePage.objects.descendant_of(profile.home_page).delete()
    fill_site(profile)
    second = list(ArticlePage.objects.descendant_of(profile.home_page).values_list("title", "slug"))
    assert first == second and len(first) > 20


def test_setup_demo_creates_the_cluster_content_and_accounts(tmp_path, settings):
    source = (settings.PLATFORM_DIR / "demo_cluster.toml").read_text(encoding="utf-8")
    entries = source.split("[[sites]]")
    wanted = [e for e in entries[1:] if any(f'code = "{c}"' in e for c in ("www", "fgw", "qhq"))]
    inventory = tmp_path / "small.toml"
    inventory.write_text("".join("[[sites]]" + e for e in wanted), encoding="utf-8")
    assert not get_user_model().objects.exists(), "no account exists before the demo set-up"

    call_command("setup_demo", inventory=str(inventory), stdout=StringIO())
    second_run = StringIO()
    call_command("setup_demo", inventory=str(inventory), stdout=second_run)

    users = set(get_user_model().objects.values_list("username", flat=True))
    assert users == (
        {"platform"}
        | {
            f"{code}_{role}"
            for code in ("fgw", "qhq")
            for role in ("admin", "editor", "reviewer1", "reviewer2", "reviewer3")
        }
        | {
            f"{code}_{role}"
            for code in ("www", "fgw", "qhq")
            for role in ("dispatcher", "handler", "mailreviewer")
        }
    )
    assert get_user_model().objects.get(username="fgw_editor").check_password("Jiyue@demo2026")
    assert "新增示例内容 0 篇" in second_run.getvalue(), "a second run adds nothing"
