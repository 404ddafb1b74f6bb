"""home.0002 removes Wagtail's placeholder "Welcome" page and its default Site.

Every site, the portal included, comes from provisioning; the placeholder would otherwise hold
the `localhost` hostname the demo portal needs. The first test looks at the database the
migrations built; the others run the migration's function again on data shaped like a fresh
Wagtail install, to show what it removes and what it must leave alone.
"""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from wagtail.models import Page, Site

from home.models import SiteHomePage
from tests.factories import provision

remove_welcome = importlib.import_module(
    "home.migrations.0002_remove_wagtail_welcome_site"
).remove_welcome


@pytest.mark.django_db
def test_migrated_database_has_no_site_and_only_the_tree_root():
    assert not Site.objects.exists()
    root = Page.objects.get()
    assert root.depth == 1
    assert root.is_root()
    assert root.numchild == 0
    assert not root.get_children().exists()


def _welcome_page():
    """What wagtailcore.0002_initial_data creates: a plain Page at depth 2 and a default Site."""
    welcome = Page.get_first_root_node().add_child(
        instance=Page(title="Welcome to your new Wagtail site!", slug="home", live=True)
    )
    Site.objects.create(
        hostname=settings.PORTAL_HOSTNAME, port=80, root_page=welcome, is_default_site=True
    )
    return welcome


@pytest.mark.django_db
def test_removes_welcome_page_and_site_but_keeps_provisioned_sites():
    east = provision("east")
    west = provision("west")
    welcome = _welcome_page()
    kept_pages = set(Page.objects.exclude(pk=welcome.pk).values_list("pk", flat=True))

    remove_welcome(apps, None)

    assert not Page.objects.filter(pk=welcome.pk).exists()
    assert set(Page.objects.values_list("pk", flat=True)) == kept_pages
    assert set(Site.objects.values_list("pk", flat=True)) == {east.site_id, west.site_id}
    root = Page.get_first_root_node()
    root.refresh_from_db()
    assert root.numchild == 2

    # The hostname is free again: the portal can now be provisioned onto it.
    portal = provision("www", "portal")
    assert portal.site.hostname == settings.PORTAL_HOSTNAME
    assert Page.get_first_root_node().get_children().count() == 3


@pytest.mark.django_db
def test_leaves_a_provisioned_site_whose_code_is_home_alone():
    """Only a plain Page is the placeholder; a real site home with the slug "home" stays."""
    provision("www", "portal")
    provision("east")
    home = provision("home")
    pages_before = Page.objects.count()
    sites_before = set(Site.objects.values_list("pk", flat=True))

    remove_welcome(apps, None)

    assert Page.objects.count() == pages_before
    assert set(Site.objects.values_list("pk", flat=True)) == sites_before
    assert SiteHomePage.objects.filter(pk=home.home_page.pk, slug="home").exists()
