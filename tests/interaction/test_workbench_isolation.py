"""Isolation of the letters workbench, as every mail role and every site role of the portal and
two departments: each sees exactly its letters; another unit's letter answers 404 on every
object route and every transition (enumerated from workflow.TRANSITIONS); form values naming
other sites' units or letters are refused; the confidential writer stays hidden from units."""

import pytest
from django.urls import reverse

from interaction.actions import perform
from interaction.models import HandlingUnit, Letter
from interaction.provisioning import add_office_groups
from interaction.submission import Upload
from interaction.workflow import TRANSITIONS, State
from tests.conftest import module_world
from tests.factories import UserFactory

from .workbench import act, messages_of
from .world import build_mail_world, write

pytestmark = pytest.mark.django_db

CONFIDENTIAL = {
    "category": "report",
    "confidential": True,
    "subject": "举报李保密所在小区违建",
    "content": "我是李保密，电话13900000009，邮箱whistle@example.com，举报小区顶楼违建。",
    "name": "李保密",
    "phone": "13900000009",
    "email": "whistle@example.com",
}
WRITER = ("李保密", "13900000009", "whistle@example.com")

# Who sees which letter (the rule of visible_to, written out): a unit its letters as lead or
# assisting unit, a dispatcher its mailbox's letters, a 站点管理员 its site's units' letters.
VISIBLE = {
    ("portal", "dispatcher"): {"portal_to_a", "portal_to_b", "b_assisted_by_a", "confidential"},
    ("a", "dispatcher"): {"a_own", "a_office"},
    ("a", "handler"): {"portal_to_a", "b_assisted_by_a", "confidential"},
    ("a", "reviewer"): {"portal_to_a", "b_assisted_by_a", "confidential"},
    ("a", "site_admin"): {"portal_to_a", "confidential", "a_office"},
    ("b", "dispatcher"): {"b_own"},
    ("b", "handler"): {"portal_to_b", "b_assisted_by_a"},
    ("b", "reviewer"): {"portal_to_b", "b_assisted_by_a"},
    ("b", "site_admin"): {"portal_to_b", "b_assisted_by_a"},
}
NOT_MAIL_STAFF = {"editor", "first_reviewer", "second_reviewer", "final_reviewer"}


def _office(parent, name):
    office = HandlingUnit(site=parent.site, parent=parent, name=name)
    add_office_groups(office)
    office.save()
    return office


def _build():
    world = build_mail_world()
    users = world["users"]
    users[("platform", "admin")] = UserFactory(username="platform_admin", is_superuser=True)
    world["a_office"] = _office(world["a_unit"], "aaa法规科")
    world["b_office"] = _office(world["b_unit"], "bbb法规科")
    portal = users[("portal", "dispatcher")]

    def dispatched(mailbox, dispatcher, unit, assisting=(), **fields):
        letter = write(mailbox, **fields).letter
        perform(letter, "dispatch", user=dispatcher, unit=unit, assisting=assisting)
        return letter

    letters = {
        "portal_to_a": dispatched(
            world["portal_mailbox"], portal, world["a_unit"], phone="13800000001"
        ),
        "portal_to_b": dispatched(
            world["portal_mailbox"], portal, world["b_unit"], phone="13800000002"
        ),
        "b_assisted_by_a": dispatched(
            world["portal_mailbox"], portal, world["b_unit"], [world["a_unit"]], phone="13800000003"
        ),
        "confidential": dispatched(
            world["portal_mailbox"], portal, world["a_unit"], **CONFIDENTIAL
        ),
        "a_own": write(world["a_mailbox"], phone="13800000004").letter,
        "b_own": write(world["b_mailbox"], phone="13800000005").letter,
        "a_office": dispatched(
            world["a_mailbox"], users[("a", "dispatcher")], world["a_office"], phone="13800000006"
        ),
    }
    world["letters"] = letters
    return world


iso_world = module_world(_build)


def _people(world):
    """Every user of the world with the letter names they should see (None: no workbench)."""
    for key, user in world["users"].items():
        if key == ("platform", "admin"):
            yield key, user, set(world["letters"])
        elif key[1] in NOT_MAIL_STAFF:
            yield key, user, None
        else:
            yield key, user, VISIBLE.get(key, set())


def _snapshot():
    return [
        (
            letter.pk,
            letter.state,
            letter.lead_unit_id,
            letter.duplicate_of_id,
            letter.publication,
            letter.events.count(),
            sorted(letter.assisting_units.values_list("pk", flat=True)),
        )
        for letter in Letter.objects.order_by("pk")
    ]


def test_the_listing_shows_exactly_the_visible_letters(client, iso_world):
    letters = iso_world["letters"]
    for key, user, visible in _people(iso_world):
        client.force_login(user)
        response = client.get(reverse("letters:index"))
        if visible is None:
            assert response.status_code == 302, key
            continue
        page = response.content.decode()
        shown = {name for name, letter in letters.items() if letter.query_code in page}
        assert shown == visible, key
        listed = set(
            Letter.objects.visible_to(user)
            .filter(pk__in=[letter.pk for letter in letters.values()])
            .values_list("pk", flat=True)
        )
        assert listed == {letters[name].pk for name in visible}, key


def test_another_units_letter_answers_404_on_every_route_and_transition(client, iso_world):
    """Every object route on every letter the user may not see; every transition on one of
    them, taken in turn so each unseen letter meets the whole table as someone's."""
    letters = iso_world["letters"]
    before = _snapshot()
    for turn, (key, user, visible) in enumerate(_people(iso_world)):
        client.force_login(user)
        unseen = [name for name in letters if visible is None or name not in visible]
        for name in unseen:
            letter = letters[name]
            urls = [
                reverse("letters:detail", args=[letter.pk]),
                reverse("letters:publish", args=[letter.pk]),
                reverse("letters:attachment", args=[letter.pk, 1]),
            ]
            for url in urls:
                assert client.get(url).status_code == 404, (key, name, url)
            assert client.post(urls[1], {"decision": "publish"}).status_code == 404
        if not unseen:
            continue
        name = unseen[turn % len(unseen)]
        for transition in TRANSITIONS:
            url = reverse("letters:act", args=[letters[name].pk, transition])
            response = client.post(url, {f"{transition}-reason": "越权"})
            assert response.status_code == 404, (key, name, transition)
    assert _snapshot() == before


def test_a_handler_of_bbb_cannot_accept_aaas_letter(client, iso_world):
    letter = iso_world["letters"]["portal_to_a"]
    client.force_login(iso_world["users"][("b", "handler")])
    response = client.post(reverse("letters:act", args=[letter.pk, "accept"]))
    assert response.status_code == 404
    letter.refresh_from_db()
    assert letter.state == State.DISPATCHED and not letter.events.filter(transition="accept")


def test_dispatching_outside_the_mailboxs_targets_is_refused(client, iso_world):
    letter = iso_world["letters"]["a_own"]
    client.force_login(iso_world["users"][("a", "dispatcher")])
    before = _snapshot()
    refusals = [
        ({"unit": iso_world["b_unit"].pk}, "请选择本信箱可以派单的承办单位。"),
        ({"unit": iso_world["b_office"].pk}, "请选择本信箱可以派单的承办单位。"),
        ({"unit": iso_world["portal_unit"].pk}, "请选择本信箱可以派单的承办单位。"),
        (
            {"unit": iso_world["a_office"].pk, "assisting": [iso_world["b_office"].pk]},
            "协办单位须是本信箱可以派单的承办单位。",
        ),
        ({"unit": "9999999"}, "请选择本信箱可以派单的承办单位。"),
    ]
    for fields, message in refusals:
        response = act(client, letter, "dispatch", **fields)
        assert not response.redirect_chain and message in response.content.decode(), fields
    assert _snapshot() == before
    page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert iso_world["a_office"].name in page and iso_world["b_office"].name not in page
    response = act(client, letter, "dispatch", unit=iso_world["a_office"].pk)
    assert response.redirect_chain and messages_of(response) == ["已派单。"]


def test_merging_into_a_letter_the_dispatcher_cannot_see_is_refused(client, iso_world):
    letter = iso_world["letters"]["a_own"]
    client.force_login(iso_world["users"][("a", "dispatcher")])
    before = _snapshot()
    for other in ("b_own", "portal_to_a"):
        code = iso_world["letters"][other].query_code
        response = act(client, letter, "merge", original=code, reason="重复")
        assert "没有找到您可以查看的这封原信件，请核对查询码。" in response.content.decode()
    assert _snapshot() == before


def test_the_confidential_writer_is_hidden_from_the_units(client, iso_world):
    letter = iso_world["letters"]["confidential"]
    detail = reverse("letters:detail", args=[letter.pk])
    users = iso_world["users"]
    for key in [("portal", "dispatcher"), ("platform", "admin")]:
        client.force_login(users[key])
        page = client.get(detail).content.decode()
        assert all(value in page for value in WRITER), key
    for key in [("a", "handler"), ("a", "reviewer"), ("a", "site_admin")]:
        client.force_login(users[key])
        page = client.get(detail).content.decode()
        assert "【保密】" in page and not any(value in page for value in WRITER), key
        listing = client.get(reverse("letters:index")).content.decode()
        assert letter.query_code in listing and "李保密" not in listing, key
        found = client.get(reverse("letters:index") + "?q=李保密").content.decode()
        assert letter.query_code not in found, key


def test_attachments_are_served_only_to_those_who_see_the_letter(client, iso_world):
    users = iso_world["users"]
    letter = write(
        iso_world["portal_mailbox"],
        phone="13800000007",
        uploads=[Upload(b"%PDF-1.4 evidence", "application/pdf", ".pdf", "证据.pdf")],
    ).letter
    perform(letter, "dispatch", user=users[("portal", "dispatcher")], unit=iso_world["a_unit"])
    url = reverse("letters:attachment", args=[letter.pk, letter.attachments.get().pk])
    client.force_login(users[("a", "handler")])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).endswith(
        b"evidence"
    )
    assert (
        response["Content-Type"] == "application/pdf"
        and "attachment" in response["Content-Disposition"]
    )
    other = iso_world["letters"]["portal_to_a"]
    client.force_login(users[("b", "handler")])
    assert client.get(url).status_code == 404
    # Another letter's attachment through a letter the user may see: not found either.
    client.force_login(users[("a", "handler")])
    crossed = reverse("letters:attachment", args=[other.pk, letter.attachments.get().pk])
    assert client.get(crossed).status_code == 404
