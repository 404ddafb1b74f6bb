"""The admin API's image and document endpoints, narrowed to the user's own sites' media.

Wagtail's admin API lists every image and document of the install with titles, tags and file
URLs; the page endpoint is already limited to the pages a user may explore.
"""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from .access import scope_of


class ScopedMediaMixin:
    def get_queryset(self):
        return scope_of(self.request.user).media(super().get_queryset())


class ScopedImagesAdminAPIViewSet(ScopedMediaMixin, ImagesAdminAPIViewSet):
    pass


class ScopedDocumentsAdminAPIViewSet(ScopedMediaMixin, DocumentsAdminAPIViewSet):
    pass


def register_scoped_media_endpoints(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
