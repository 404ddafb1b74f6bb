"""Who may do what with submissions (信息报送).

Deciding is an editorial act of the receiving site, so it belongs to the roles that already
speak for that site's content: its 站点管理员 and its 终审 (办公室), the last step of the review
that publishes everything else on it. Editors and the first two reviewers of the portal see what
arrived but do not decide. Platform admins may always decide.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from sites.models import SiteGroup, SiteProfile, SiteRole

REVIEWER_ROLES = (SiteRole.SITE_ADMIN, SiteRole.FINAL_REVIEWER)


def can_review(user, site):
    """Whether `user` accepts or rejects what is submitted to `site`."""
    if user.is_superuser:
        return True
    return SiteGroup.objects.filter(
        profile=site, role__in=REVIEWER_ROLES, group__user=user
    ).exists()


class SubmissionPermissionPolicy(BasePermissionPolicy):
    """Anyone working on a site may read its submissions; nobody edits one through a form.

    Submissions are created, accepted and rejected only through the sharing services, which
    apply the rules above; generic add, edit and delete views would bypass them. Which rows a
    user reads is `Submission.objects.visible_to`, applied by the site-owned admin views.
    """

    def user_has_permission(self, user, action):
        if action != "view" or not user.is_active:
            return False
        return user.is_superuser or SiteProfile.objects.visible_to(user).exists()

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__site_group__isnull=False))
            .distinct()
        )
