"""What the public reads of a mailbox: only published letters, only their public fields, with
search and filters; a letter's own page; the monthly figures; the unified search; and the page
cache retired when a letter is published or withdrawn."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from interaction.actions import perform
from interaction.models import MonthlyUnitStats
from interaction.public import views
from search.models import PendingIndexUpdate
from tests.conftest import module_world
from tests.search.conftest import embedded_config, search_setting

from .public import get, host, publish, url
from .world import build_mail_world, write

mail_world = module_world(build_mail_world)
pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def listed(response):
    """The titles of the letters listed on an index page."""
    page = text(response)
    return [
        part.split("</a>", 1)[0].rsplit(">", 1)[1]
        for part in page.split('class="list-item__title"')[1:]
    ]


def test_the_list_shows_published_letters_only_and_never_personal_data(mail_world):
    mailbox = mail_world["portal_mailbox"]
    published, _ = publish(mail_world, subject="排水管网改造进度")
    write(mailbox, subject="未公开的来信", phone="13800000000")
    publish(mail_world, key="a", subject="别的信箱的信", phone="13800000001")
    response = get(Client(), mailbox)
    assert response.status_code == 200
    assert listed(response) == ["排水管网改造进度"]
    page = text(response)
    assert url(mailbox, "letter", published.pk) in page
    for private in ("张三丰", "13912345678", "writer@example.com", published.content):
        assert private not in page
    assert f'href="{url(mailbox, "write")}"' in page and f'href="{url(mailbox, "query")}"' in page
    assert f'href="{url(mailbox, "stats")}"' in page


def test_a_published_letter_has_its_public_page_and_nothing_else_has(mail_world):
    mailbox = mail_world["portal_mailbox"]
    letter, _ = publish(mail_world)
    perform(letter, "rate", actor="writer", rating=5)
    page = text(get(Client(), mailbox, "letter", letter.pk))
    assert f"<h1>{letter.public_subject}</h1>" in page
    assert "【姓名】" in page and "【手机号码】" in page and "张三丰" not in page
    assert "13912345678" not in page
    assert "已安排疏通排水管道。" in page and f"答复单位：{letter.reply_unit.name}" in page
    assert "来信人评价：非常满意" in page
    unpublished = write(mailbox, phone="13800000000").letter
    assert get(Client(), mailbox, "letter", unpublished.pk).status_code == 404
    other, _ = publish(mail_world, key="a", phone="13800000001")
    assert get(Client(), mailbox, "letter", other.pk).status_code == 404
    assert get(Client(), mail_world["a_mailbox"], "letter", other.pk).status_code == 200


def test_the_list_is_searched_and_filtered(mail_world, monkeypatch):
    mailbox = mail_world["portal_mailbox"]
    publish(mail_world, subject="排水管网改造", content="雨后人民路积水严重，请求改造排水管网。")
    publish(
        mail_world,
        subject="路灯不亮",
        category="help",
        content="夜间道路很黑，请求修复路灯，方便出行。",
        phone="13800000000",
    )

    def titles(**query):
        return listed(get(Client(), mailbox, data=query))

    assert titles(q="积水") == ["排水管网改造"]
    assert titles(q="疏通排水管道") == ["路灯不亮", "排水管网改造"]  # both replies say it
    assert titles(category="help") == ["路灯不亮"]
    assert titles(unit=str(mail_world["portal_unit"].pk)) == ["路灯不亮", "排水管网改造"]
    this_month = f"{timezone.localtime():%Y-%m}"
    assert titles(month=this_month, q="路灯") == ["路灯不亮"]
    invalid = get(Client(), mailbox, data={"month": "1999-01", "q": "路灯"})
    assert "没有这个选项，请重新选择。" in text(invalid)
    assert listed(invalid) == ["路灯不亮"]  # the invalid filter is left out, the rest applies
    assert "没有符合条件的公开信件。" in text(get(Client(), mailbox, data={"q": "不存在的词"}))
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    first = get(Client(), mailbox)
    assert listed(first) == ["路灯不亮"] and 'rel="next"' in text(first)
    assert listed(get(Client(), mailbox, data={"page": 2})) == ["排水管网改造"]


def test_an_empty_mailbox_says_so(mail_world):
    assert "暂无公开信件。" in text(get(Client(), mail_world["b_mailbox"]))


def test_publishing_and_withdrawing_retire_the_cached_list(mail_world):
    mailbox = mail_world["portal_mailbox"]
    before = get(Client(), mailbox)
    assert listed(before) == []
    assert "private" not in before["Cache-Control"]  # the list is a cacheable page
    letter, _ = publish(mail_world, subject="新公开的信件")
    assert listed(get(Client(), mailbox)) == ["新公开的信件"]
    assert get(Client(), mailbox, "letter", letter.pk).status_code == 200
    perform(letter, "withdraw", user=mail_world["users"][("portal", "dispatcher")], reason="涉密")
    assert listed(get(Client(), mailbox)) == []


def stats_row(world, unit, month, **counts):
    return MonthlyUnitStats.objects.create(
        mailbox=world["portal_mailbox"],
        unit=world[unit],
        month=month,
        computed_at=timezone.now(),
        **counts,
    )


def test_the_statistics_show_both_formulas_per_unit_and_month(mail_world):
    mailbox = mail_world["portal_mailbox"]
    empty = text(get(Client(), mailbox, "stats"))
    assert "暂无办理统计数据。" in empty
    counts = dict(received=12, answered=10, due=8, answered_on_time=6, answer_working_days=25)
    stats_row(mail_world, "a_unit", date(2026, 4, 1), **counts, rated=5, satisfied=4)
    stats_row(mail_world, "b_unit", date(2026, 4, 1), received=3)
    stats_row(mail_world, "a_unit", date(2026, 3, 1), received=1, answered=1, due=1)
    page = text(get(Client(), mailbox, "stats"))  # retired when the figures were written
    assert "2026年4月各单位办理情况" in page
    row = page.split(mail_world["a_unit"].name + "</th>", 1)[1].split("</tr>", 1)[0]
    cells = [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]
    # received, answered, on time 6/8, 25/10 days, rated, 4/5 rated, 4/10 answered
    assert cells == ["12", "10", "75.0%", "2.5", "5", "80.0%", "40.0%"]
    other = page.split(mail_world["b_unit"].name + "</th>", 1)[1].split("</tr>", 1)[0]
    assert other.count("—") == 4  # nothing to divide by
    march = text(get(Client(), mailbox, "stats", data={"month": "2026-03"}))
    assert "2026年3月各单位办理情况" in march and mail_world["b_unit"].name not in march
    wrong = text(get(Client(), mailbox, "stats", data={"month": "2020-01"}))
    assert "没有这个月份的统计，请重新选择。" in wrong and "2026年4月各单位办理情况" in wrong


@pytest.fixture
def search_index(settings, tmp_path):
    settings.SEARCH = search_setting("embedded", embedded=embedded_config(tmp_path / "index"))


def search_page(world, q):
    portal = world["portal_mailbox"]
    return text(Client().get("/search/", {"q": q, "scope": "all"}, headers={"host": host(portal)}))


def test_published_letters_are_found_in_the_unified_search(
    mail_world, search_index, django_capture_on_commit_callbacks
):
    mailbox = mail_world["portal_mailbox"]
    with django_capture_on_commit_callbacks(execute=True):
        letter, _ = publish(mail_world, subject="排水管网改造", content="人民路积水严重。")
        write(mailbox, subject="排水沟清理", content="胜利路排水沟堵塞。", phone="13800000000")
    assert not PendingIndexUpdate.objects.exists()
    page = search_page(mail_world, "排水")
    assert f'{mailbox.full_url}letters/{letter.pk}/"' in page
    assert "信件答复" in page
    assert "排水沟清理" not in page and "胜利路" not in page
    assert "/letters/" not in search_page(mail_world, "张三丰")  # the writer's name is masked
    with django_capture_on_commit_callbacks(execute=True):
        perform(letter, "withdraw", user=mail_world["users"][("portal", "dispatcher")], reason="撤")
    assert f"letters/{letter.pk}/" not in search_page(mail_world, "排水")


def test_letters_never_public_are_not_queued_for_the_index(mail_world, search_index):
    letter = write(mail_world["portal_mailbox"]).letter
    perform(
        letter, "reply_directly", user=mail_world["users"][("portal", "dispatcher")], reply="答"
    )
    assert not PendingIndexUpdate.objects.filter(model_label="interaction.letter").exists()
