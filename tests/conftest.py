import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Site root paths and archived hosts are cached; no test may see another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves English active in the thread; no later test may inherit it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def module_world(builder):
    """A module-scoped fixture whose data is built once and rolled back when the module ends.

    Each test still runs in its own savepoint (pytest-django's `db`), so tests stay independent
    while the expensive provisioning happens once per module.
    """

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            block = transaction.atomic()
            block.__enter__()
            try:
                cache.clear()
                yield builder()
            finally:
                transaction.set_rollback(True)
                block.__exit__(None, None, None)
                cache.clear()

    return fixture
