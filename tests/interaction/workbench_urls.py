"""The project's URLs plus the workbench route mails link to (`letters:detail`), for as long as
the workbench (another part of issue 11) is not in this branch: tests and benchmarks of mails
use it only when the real route is missing (`needed()`)."""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from config.urls import urlpatterns as project

workbench = ([path("<int:pk>/", lambda request, pk: HttpResponse(), name="detail")], "letters")
urlpatterns = [path("admin/letters/", include(workbench)), *project]


def needed():
    try:
        reverse("letters:detail", args=[1])
    except NoReverseMatch:
        return True
    return False
