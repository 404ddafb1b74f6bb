"""What each site role may do, granted only on the site's own root page and collection.

Editors and reviewers never get the publish permission: publishing happens when the site's
three-step workflow (科室初审 → 分管领导复审 → 办公室终审) approves. The 站点管理员 keeps publish
and unpublish for urgent removals and edits the site's branding and contact details.
"""

from .models import SiteRole

PAGE_PERMISSIONS = {
    SiteRole.SITE_ADMIN: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    SiteRole.EDITOR: ["add_page", "change_page"],
    SiteRole.FIRST_REVIEWER: ["change_page"],
    SiteRole.SECOND_REVIEWER: ["change_page"],
    SiteRole.FINAL_REVIEWER: ["change_page"],
}

_MEDIA_WRITE = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
_MEDIA_CHOOSE = [("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")]

COLLECTION_PERMISSIONS = {
    SiteRole.SITE_ADMIN: [
        *_MEDIA_WRITE,
        ("wagtailimages", "delete_image"),
        ("wagtaildocs", "delete_document"),
    ],
    SiteRole.EDITOR: _MEDIA_WRITE,
    SiteRole.FIRST_REVIEWER: _MEDIA_CHOOSE,
    SiteRole.SECOND_REVIEWER: _MEDIA_CHOOSE,
    SiteRole.FINAL_REVIEWER: _MEDIA_CHOOSE,
}

# Model-level permissions (app_label, codename); every role may enter the admin.
MODEL_PERMISSIONS = {
    SiteRole.SITE_ADMIN: [("wagtailadmin", "access_admin"), ("sites", "change_siteprofile")],
    SiteRole.EDITOR: [("wagtailadmin", "access_admin")],
    SiteRole.FIRST_REVIEWER: [("wagtailadmin", "access_admin")],
    SiteRole.SECOND_REVIEWER: [("wagtailadmin", "access_admin")],
    SiteRole.FINAL_REVIEWER: [("wagtailadmin", "access_admin")],
}

# The review workflow: task name and the role whose group approves it, in order.
REVIEW_STEPS = [
    ("科室初审", SiteRole.FIRST_REVIEWER),
    ("分管领导复审", SiteRole.SECOND_REVIEWER),
    ("办公室终审", SiteRole.FINAL_REVIEWER),
]
