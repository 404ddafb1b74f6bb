"""Demo accounts, created only by `manage.py setup_demo` and listed in the README.

One platform admin, and for two demo sites (a department and a district) one user per role.
"""

from django.contrib.auth import get_user_model

from .models import SiteProfile, SiteRole

DEMO_PASSWORD = "Jiyue@demo2026"  # demo only; never created outside `setup_demo`
DEMO_SITES = ["fgw", "qhq"]
ROLE_USERNAMES = {
    SiteRole.SITE_ADMIN: "admin",
    SiteRole.EDITOR: "editor",
    SiteRole.FIRST_REVIEWER: "reviewer1",
    SiteRole.SECOND_REVIEWER: "reviewer2",
    SiteRole.FINAL_REVIEWER: "reviewer3",
}


def create_demo_accounts():
    """Create (or leave as they are) the demo users; returns [(username, description)]."""
    User = get_user_model()
    accounts = []
    admin, created = User.objects.get_or_create(
        username="platform",
        defaults={"is_superuser": True, "is_staff": True, "first_name": "平台管理员"},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    accounts.append(("platform", "平台管理员（全部站点）"))
    for profile in SiteProfile.objects.filter(code__in=DEMO_SITES).prefetch_related(
        "site_groups__group"
    ):
        for site_group in profile.site_groups.all():
            username = f"{profile.code}_{ROLE_USERNAMES[site_group.role]}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": f"{profile.name}{site_group.get_role_display()}"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(site_group.group)
            accounts.append((username, f"{profile.name} · {site_group.get_role_display()}"))
    return accounts
