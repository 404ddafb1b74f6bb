"""rebuild_search_index, check_search_index and search_catch_up on a real two-site world."""

import pytest
from django.core.management import CommandError, call_command

from search.backends import primary_backend
from search.indexing import enqueue
from search.models import PendingIndexUpdate
from tests.conftest import module_world
from tests.factories import add_article, column, provision

from .conftest import doc, embedded_config, search_setting

pytestmark = pytest.mark.django_db


@module_world
def world():
    fgw, qhq = provision("fgw"), provision("qhq", "district")
    articles = [
        add_article(column(fgw, "gzdt"), "发改委工作动态"),
        add_article(column(qhq, "gzdt"), "清河区工作动态"),
    ]
    return {"fgw": fgw, "qhq": qhq, "articles": articles}


def test_rebuild_indexes_everything_with_a_progress_bar(world, capsys):
    primary_backend().upsert([doc("ghost", "早已删除的页面")])
    call_command("rebuild_search_index")
    out, err = capsys.readouterr()
    indexed = primary_backend().fingerprints()
    assert f"embedded：索引已重建，共 {len(indexed)} 篇文档。" in out
    assert "篇/s" in err or "篇]" in err, "tqdm progress bar"
    assert "test.doc:ghost" not in indexed
    assert {f"wagtailcore.page:{a.pk}" for a in world["articles"]} <= indexed.keys()


def test_check_reports_drift_and_repairs_it(world, capsys):
    call_command("rebuild_search_index", verbosity=0)
    call_command("check_search_index")
    assert "索引与数据库一致。" in capsys.readouterr().out

    engine = primary_backend()
    first, second = world["articles"]
    engine.delete([f"wagtailcore.page:{first.pk}"])
    engine.upsert([doc("ghost", "多余的文档")])
    second.title = "清河区工作动态（已改）"
    second.save()  # a live page changed without publishing: the index is now stale

    with pytest.raises(CommandError, match="3 篇文档需要更新"):
        call_command("check_search_index")
    out = capsys.readouterr().out
    assert f"缺失：wagtailcore.page:{first.pk}" in out
    assert f"过期：wagtailcore.page:{second.pk}" in out
    assert "多余：test.doc:ghost" in out

    call_command("check_search_index", "--repair")
    assert "已修复 3 篇文档的索引。" in capsys.readouterr().out
    call_command("check_search_index")
    assert not PendingIndexUpdate.objects.exists()


def test_catch_up_fails_loudly_while_the_index_is_down(world, settings, tmp_path):
    blocker = tmp_path / "down"
    blocker.write_text("")
    settings.SEARCH = search_setting(
        "embedded", embedded=embedded_config(blocker / "index.sqlite3")
    )
    PendingIndexUpdate.objects.all().delete()
    enqueue(world["articles"])  # the test's transaction never commits: catch-up applies it
    with pytest.raises(CommandError, match="2 篇文档的索引更新失败"):
        call_command("search_catch_up")
    assert PendingIndexUpdate.objects.filter(attempts=1).count() == 2
    blocker.unlink()
    blocker.mkdir()
    call_command("search_catch_up")
    assert not PendingIndexUpdate.objects.exists()
