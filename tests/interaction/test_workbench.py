"""The staff workbench: a letter's whole journey through the admin views, the buttons following
the state machine, refused input and illegal steps changing nothing, the listing's queues."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interaction.actions import available, perform
from interaction.models import HandlingUnit, Letter, LetterDeadline, Publication
from interaction.workflow import TRANSITIONS, State
from tests.conftest import module_world
from tests.factories import UserFactory

from .workbench import act, messages_of, offered, sign_in
from .world import build_mail_world, write

pytestmark = pytest.mark.django_db


def _build():
    world = build_mail_world()
    world["users"][("platform", "admin")] = UserFactory(
        username="platform_admin", is_superuser=True
    )
    return world


mail_world = module_world(_build)


def _state(letter):
    letter = Letter.objects.get(pk=letter.pk)
    return letter.state, letter.events.count(), letter.lead_unit_id


def test_a_letter_travels_through_the_workbench_and_is_published_with_chosen_masks(
    client, mail_world
):
    users = mail_world["users"]
    letter = write(mail_world["portal_mailbox"]).letter

    sign_in(client, users[("portal", "dispatcher")])
    listing = client.get(reverse("letters:index") + "?queue=mine")
    assert letter.query_code in listing.content.decode()
    page = client.get(reverse("letters:detail", args=[letter.pk]))
    assert offered(page) == {"reply_directly", "dispatch", "merge", "not_accept"}
    response = act(client, letter, "dispatch", unit=mail_world["a_unit"].pk)
    assert response.redirect_chain and messages_of(response) == ["已派单。"]

    sign_in(client, users[("a", "handler")])
    assert (
        letter.query_code in client.get(reverse("letters:index") + "?queue=mine").content.decode()
    )
    assert act(client, letter, "accept").redirect_chain
    reply = "已安排疏通人民路排水管道，联系人李四，电话13800001111。"
    assert act(client, letter, "submit_reply", reply=reply).redirect_chain

    sign_in(client, users[("a", "reviewer")])
    assert offered(client.get(reverse("letters:detail", args=[letter.pk]))) == {
        "approve_reply",
        "reject_reply",
    }
    assert act(client, letter, "approve_reply").redirect_chain

    sign_in(client, users[("portal", "dispatcher")])
    review_url = reverse("letters:publish", args=[letter.pk])
    review = client.get(review_url)
    page = review.content.decode()
    assert '<mark title="姓名">张三丰' in page and '<mark title="手机号码">13912345678' in page
    keep = [key for field in review.context["fields"] for key, *_shown in field["proposed"]]
    address = [key for key in keep if key.startswith("content:") and key.endswith(":address")]
    assert len(address) == 1
    chosen = {
        "keep": [key for key in keep if key not in address],
        "fragment_0": "李四",
        "kind_0": "name",
    }
    preview = client.post(review_url, {**chosen, "decision": "preview"}).content.decode()
    assert "已安排疏通人民路排水管道，联系人【姓名】，电话【手机号码】。" in preview
    assert Letter.objects.get(pk=letter.pk).publication == Publication.PENDING
    response = client.post(review_url, {**chosen, "decision": "publish"})
    assert response.status_code == 302 and messages_of(response) == ["已公开。"]

    letter.refresh_from_db()
    assert letter.publication == Publication.PUBLISHED
    assert letter.public_content.startswith("人民路88号小区门口")  # the dropped mask
    assert "张三丰" not in letter.public_content and "13912345678" not in letter.public_content
    assert letter.public_reply == "已安排疏通人民路排水管道，联系人【姓名】，电话【手机号码】。"
    assert list(letter.events.values_list("label", flat=True)) == [
        "来信",
        "派单",
        "签收",
        "提交答复",
        "审核通过",
        "公开",
    ]
    page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert "审核通过" in page and mail_world["a_unit"].name in page


def test_the_buttons_follow_the_state_machine(client, mail_world):
    users = mail_world["users"]
    letter = write(mail_world["portal_mailbox"]).letter
    for state in State:
        Letter.objects.filter(pk=letter.pk).update(state=state, lead_unit=mail_world["a_unit"])
        letter.refresh_from_db()
        for key in [("portal", "dispatcher"), ("a", "handler"), ("a", "reviewer")]:
            user = users[key]
            client.force_login(user)
            page = client.get(reverse("letters:detail", args=[letter.pk]))
            expected = {t.name for t in available(letter, user)}
            assert offered(page) == expected - {"publish"}, (state, key)
            assert ("审核公开" in page.content.decode()) == ("publish" in expected)


def test_an_illegal_step_shows_the_message_and_changes_nothing(client, mail_world):
    users = mail_world["users"]
    letter = write(mail_world["portal_mailbox"]).letter
    perform(letter, "dispatch", user=users[("portal", "dispatcher")], unit=mail_world["a_unit"])
    before = _state(letter)

    client.force_login(users[("a", "handler")])
    response = act(client, letter, "approve_reply")
    assert messages_of(response) == ["信件当前为“待签收”，不能审核通过。"]
    response = act(client, letter, "submit_reply", reply="答复")
    assert messages_of(response) == ["信件当前为“待签收”，不能提交答复。"]
    response = act(client, letter, "submit_reply")  # neither allowed now nor complete
    assert messages_of(response) == ["您现在不能提交答复这封信件。"]

    client.force_login(users[("portal", "dispatcher")])
    response = act(client, letter, "close")
    assert messages_of(response) == ["信件当前为“待签收”，不能办结。"]
    assert _state(letter) == before

    client.force_login(users[("a", "handler")])
    act(client, letter, "accept")
    before = _state(letter)
    response = act(client, letter, "submit_reply", reply="  ")
    assert not response.redirect_chain
    assert "请填写答复内容。" in response.content.decode()
    response = act(client, letter, "request_extension", days=99, reason="需要现场勘查")
    assert "延期天数须为 1 至 10 个工作日。" in response.content.decode()
    response = act(client, letter, "request_return")
    assert "请填写申请退单的理由或说明。" in response.content.decode()
    assert _state(letter) == before


def test_not_accepting_takes_a_listed_reason_and_the_way_to_tell_the_writer(client, mail_world):
    letter = write(mail_world["portal_mailbox"]).letter
    client.force_login(mail_world["users"][("portal", "dispatcher")])
    response = act(client, letter, "not_accept", not_accepted="unknown", reason="")
    page = response.content.decode()
    assert "请选择不予受理的理由。" in page and "请填写告知途径" in page
    assert _state(letter)[0] == State.RECEIVED
    response = act(client, letter, "not_accept", not_accepted="litigation", reason="请依法起诉")
    assert response.redirect_chain
    letter.refresh_from_db()
    assert letter.state == State.NOT_ACCEPTED and letter.not_accepted_reason == "litigation"


def test_a_flagged_duplicate_is_merged_into_its_original(client, mail_world):
    original = write(mail_world["portal_mailbox"], phone="13700000001").letter
    duplicate = write(mail_world["portal_mailbox"], phone="13700000001").letter
    assert duplicate.duplicate_of == original
    client.force_login(mail_world["users"][("portal", "dispatcher")])
    listing = client.get(reverse("letters:index") + "?queue=duplicates").content.decode()
    assert duplicate.query_code in listing
    page = client.get(reverse("letters:detail", args=[duplicate.pk])).content.decode()
    assert f'value="{original.query_code}"' in page  # the form proposes the original
    response = act(client, duplicate, "merge", original=original.query_code, reason="同一诉求")
    assert response.redirect_chain
    duplicate.refresh_from_db()
    assert duplicate.state == State.CLOSED


def test_the_listing_filters_searches_and_marks_overdue_letters(client, mail_world):
    letters = [write(mail_world["b_mailbox"], phone=f"1360000{n:04d}").letter for n in range(3)]
    late, soon, calm = letters
    now = timezone.now()
    LetterDeadline.objects.filter(letter__in=letters).update(due_at=now + timedelta(days=20))
    LetterDeadline.objects.filter(letter=late, stage="reply").update(due_at=now - timedelta(days=1))
    LetterDeadline.objects.filter(letter=soon, stage="reply").update(
        due_at=now + timedelta(hours=3)
    )
    Letter.objects.filter(pk=calm.pk).update(subject="路灯不亮", supervised=True)
    client.force_login(mail_world["users"][("b", "dispatcher")])

    def listed(query):
        page = client.get(reverse("letters:index") + query).content.decode()
        return {letter for letter in letters if letter.query_code in page}, page

    assert listed("")[0] == set(letters)
    found, page = listed("?queue=overdue")
    assert found == {late} and "（已超期）" in page
    assert listed("?queue=due_soon")[0] == {soon}
    assert listed("?queue=supervised")[0] == {calm}
    assert listed(f"?q={late.query_code}")[0] == {late}
    assert listed("?q=路灯")[0] == {calm}
    assert listed("?state=received")[0] == set(letters)
    assert listed("?state=closed")[0] == set()


def test_the_listing_takes_the_same_queries_for_many_letters(client, mail_world):
    client.force_login(mail_world["users"][("a", "dispatcher")])
    url = reverse("letters:index")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    write(mail_world["a_mailbox"], phone="13500000000")
    few = queries()
    for n in range(1, 12):
        write(
            mail_world["a_mailbox"], phone=f"1350000{n:04d}", category="report", confidential=True
        )
    assert queries() == few


def test_only_mail_staff_and_site_admins_reach_the_workbench(client, mail_world):
    users = mail_world["users"]
    client.force_login(users[("a", "editor")])
    response = client.get(reverse("letters:index"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert "信件办理" not in client.get(reverse("wagtailadmin_home")).content.decode()
    for key in [("a", "handler"), ("a", "site_admin"), ("platform", "admin")]:
        client.force_login(users[key])
        assert client.get(reverse("letters:index")).status_code == 200
        assert reverse("letters:index") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_platform_admins_add_an_office_with_its_groups(client, mail_world):
    users = mail_world["users"]
    add_url = reverse("wagtailsnippets_interaction_handlingunit:add")
    client.force_login(users[("a", "site_admin")])
    assert client.get(add_url).status_code == 404
    assert client.get(reverse("wagtailsnippets_interaction_deadlinepolicy:list")).status_code == 404

    client.force_login(users[("platform", "admin")])
    unit = mail_world["a_unit"]
    response = client.post(add_url, {"parent": unit.pk, "name": "法规科", "active": "on"})
    assert response.status_code == 302
    office = HandlingUnit.objects.get(name="法规科")
    assert office.site == unit.site and office.parent == unit
    assert office.handlers.name == "aaa:法规科:信件办理"
    assert office.handlers.permissions.filter(codename="access_admin").exists()
    assert office in unit.dispatch_targets()
    response = client.post(add_url, {"parent": unit.pk, "name": "法规科", "active": "on"})
    assert "本站点已有同名的承办单位。" in response.content.decode()
    response = client.post(add_url, {"parent": office.pk, "name": "二级科", "active": "on"})
    assert "请选择一个站点的承办单位作为上级单位。" in response.content.decode()


def test_every_transition_has_a_form(mail_world):
    from interaction.admin_forms import transition_form

    letter = write(mail_world["portal_mailbox"]).letter
    user = mail_world["users"][("platform", "admin")]
    for transition in TRANSITIONS.values():
        form = transition_form(transition, letter, user)
        assert ("reason" in form.fields) == (
            transition.needs_reason or transition.name == "not_accept"
        )


def _replied(world, **fields):
    users = world["users"]
    letter = write(world["portal_mailbox"], **fields).letter
    perform(letter, "dispatch", user=users[("portal", "dispatcher")], unit=world["a_unit"])
    perform(letter, "accept", user=users[("a", "handler")])
    perform(letter, "submit_reply", user=users[("a", "handler")], reply="已处理。")
    perform(letter, "approve_reply", user=users[("a", "reviewer")])
    letter.refresh_from_db()
    return letter


def test_the_review_refuses_publication_with_a_reason(client, mail_world):
    letter = _replied(mail_world)
    url = reverse("letters:publish", args=[letter.pk])
    client.force_login(mail_world["users"][("portal", "dispatcher")])
    response = client.post(url, {"decision": "withdraw", "reason": " "})
    assert "请填写不予公开的理由。" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).publication == Publication.PENDING
    response = client.post(url, {"decision": "withdraw", "reason": "涉及第三方隐私"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.publication == Publication.WITHDRAWN and letter.public_content == ""
    assert letter.events.last().reason == "涉及第三方隐私"


def test_the_review_is_only_for_the_dispatcher_of_a_publishable_letter(client, mail_world):
    users = mail_world["users"]
    private = _replied(mail_world, wants_public=False, phone="13600000999")
    client.force_login(users[("portal", "dispatcher")])
    response = client.post(reverse("letters:publish", args=[private.pk]), {"decision": "publish"})
    assert "来信人未同意公开或本信箱不公开来信，不能公开。" in response.content.decode()
    assert Letter.objects.get(pk=private.pk).publication == Publication.NOT_REQUESTED
    public = _replied(mail_world, phone="13600000998")
    client.force_login(users[("a", "handler")])
    response = client.post(
        reverse("letters:publish", args=[public.pk]), {"decision": "publish"}, follow=True
    )
    assert messages_of(response) == ["这封信件现在不能审核公开。"]
    assert Letter.objects.get(pk=public.pk).publication == Publication.PENDING
