"""The benchmark's URLconf: the project's URLs plus a plain Django view to compare pages with.

`/bench/plain/<size>` answers HTML of exactly `size` bytes, built once in memory: what Django, its
middleware and gunicorn cost with no Wagtail, database or template behind them. Only
bench/settings.py routes here; production never does.
"""

from functools import cache

from django.http import HttpResponse
from django.urls import path

from config.urls import handler404, handler500  # noqa: F401  (error pages as in production)
from config.urls import urlpatterns as project_urlpatterns

HEAD = (
    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>基准页面</title>'
    "</head><body><main><p>"
).encode()
TAIL = b"</p></main></body></html>"
FILLER = "政府网站集约化平台基准测试页面。".encode()


@cache
def plain_html(size):
    """Valid UTF-8 HTML of exactly `size` bytes (or the bare frame, if that is already more)."""
    room = max(0, size - len(HEAD) - len(TAIL))
    fillers, rest = divmod(room, len(FILLER))
    return HEAD + FILLER * fillers + b" " * rest + TAIL


def plain(request, size):
    return HttpResponse(plain_html(size))


urlpatterns = [path("bench/plain/<int:size>", plain), *project_urlpatterns]
