"""The isolation matrix as the 初审, 复审 and 终审 of another site (see admin_matrix)."""

import pytest

from sites.models import SiteRole
from tests.sites.admin_matrix import ROUTES, check_route, matrix_world

world = matrix_world
ROLES = [SiteRole.FIRST_REVIEWER, SiteRole.SECOND_REVIEWER, SiteRole.FINAL_REVIEWER]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
@pytest.mark.parametrize("route", ROUTES)
def test_other_sites_data_never_shown_or_changed(client, world, route, role):
    check_route(client, world, route, role)
