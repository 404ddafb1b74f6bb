"""The isolation matrix as the 站点管理员 and the 编辑 of another site (see admin_matrix)."""

import pytest
from django.urls import reverse

from sites.models import SiteRole
from tests.sites.admin_matrix import ROUTES, check_route, matrix_world

world = matrix_world
ROLES = [SiteRole.SITE_ADMIN, SiteRole.EDITOR]


@pytest.mark.django_db
def test_every_admin_url_is_classified(world):
    assert world.unclassified == [], "\n".join(world.unclassified)
    size = sum(len(found) for found in world.probes.values())
    print(
        f"isolation matrix: {len(world.probes)} admin routes, {size} probes per role, "
        f"{len(SiteRole)} roles: {size * len(SiteRole)} requests"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
@pytest.mark.parametrize("route", ROUTES)
def test_other_sites_data_never_shown_or_changed(client, world, route, role):
    check_route(client, world, route, role)


# Positive controls: the same narrowed surfaces still show a site its own objects.
OWN_SURFACES = {
    "image chooser tags": lambda target: reverse("wagtailimages_chooser:choose"),
    "image API": lambda target: reverse("wagtailadmin_api:images:listing"),
    "document API": lambda target: reverse("wagtailadmin_api:documents:listing"),
    "image tag filter": lambda target: reverse("wagtailimages:index"),
    "tag autocomplete": lambda target: (
        reverse("wagtailadmin_tag_autocomplete") + f"?term={target.code}"
    ),
    "page chooser search": lambda target: (
        reverse("wagtailadmin_choose_page_search") + f"?q={target.marker}"
    ),
    "page types usage": lambda target: reverse("wagtailadmin_reports:page_types_usage"),
    "site history users": lambda target: reverse("wagtailadmin_reports:site_history"),
    "workflow report": lambda target: reverse("wagtailadmin_reports:workflow"),
    "letters workbench": lambda target: reverse("letters:index"),
    "letter": lambda target: reverse("letters:detail", args=[target.objects["letter"].pk]),
    "move confirmation": lambda target: reverse(
        "wagtailadmin_pages:move_confirm",
        args=[target.pages[0].pk, target.objects["column"].get_prev_sibling().pk],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("surface", OWN_SURFACES)
def test_own_site_still_sees_its_objects(client, world, surface):
    target = world.targets[0]
    client.force_login(
        target.objects["profile"].site_groups.get(role=SiteRole.SITE_ADMIN).group.user_set.get()
    )
    response = client.get(OWN_SURFACES[surface](target))
    assert response.status_code == 200
    assert target.marker in response.content.decode()
