"""Wagtail admin hooks of the content app, one module per feature."""

from .checks import hooks as checks_hooks  # noqa: F401
from .syndication import hooks as syndication_hooks  # noqa: F401
