"""Benchmark: the leaders' mailboxes with 100,000 letters.

A portal and 20 departments, each with its mailbox; 100,000 letters bulk-created over two
years (85 % closed, 3 % not accepted, 1 % answered and awaiting a rating, 11 % open in every
open state), each with its three deadlines computed on the working-day calendar and marked as
earlier sweeps would have left them, plus the work one 5-minute sweep finds (20 deadlines to
remind of, 10 overdue, 5 letters past 60 days, 10 replies unrated for 7 days). For SQLite and
(where it can be had) PostgreSQL, prints:
- the sweep (interaction.sweep) with that work and idle, beside a plain count of the same rows;
- the workbench listing (open letters visible to a staff user, by reply due date through a
  Subquery on LetterDeadline, first 50 with their mailbox and unit, and the count for the pager)
  for a department handler, the portal's dispatcher and a platform admin, beside
  `Letter.objects.order_by('-received_at')[:50]`, and the same page ordered through a join;
- letters per second through interaction.submission.submit() (without and with one PNG),
  beside plain `Letter.objects.create`. HTTP submissions through gunicorn are measured by
  tests/topology/test_letters_no_loss.py.

    .venv/bin/python bench/letters.py [--letters 100000] [--submissions 50] [--sqlite-only]
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEPARTMENTS = 20


def small_png():
    """A real 16×16 PNG (uploads are checked by decoding them)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


# how many of the letters are in which state (the rest is closed)
SHARES = {
    "not_accepted": 0.03,
    "replied": 0.01,
    "received": 0.005,
    "dispatched": 0.01,
    "in_progress": 0.065,
    "return_requested": 0.004,
    "extension_requested": 0.006,
    "reply_submitted": 0.02,
}
FRESH = {"remind": 20, "overdue": 10, "alert": 5, "unrated": 10}


def median_ms(run, repeat, budget=10.0):
    """The median of `repeat` runs after a warm one; a run slower than a third of `budget`
    seconds is measured once."""
    start = time.perf_counter()
    run()  # warm
    if time.perf_counter() - start > budget / 3:
        return (time.perf_counter() - start) * 1000
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def timed(run):
    start = time.perf_counter()
    result = run()
    return (time.perf_counter() - start) * 1000, result


class World:
    """The sites, units, mailboxes and staff the letters belong to."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from interaction.models import HandlingUnit, MailboxPage
        from sites.provisioning import provision_many
        from tests.factories import site_spec

        specs = [site_spec("www", "portal")]
        specs += [site_spec(f"d{n:02d}") for n in range(DEPARTMENTS)]
        provision_many(specs)
        units = {u.site.code: u for u in HandlingUnit.objects.select_related("site")}
        self.portal_unit = units.pop("www")
        self.units = [units[code] for code in sorted(units)]
        self.mailboxes = {box.unit_id: box for box in MailboxPage.objects.select_related("unit")}
        users = get_user_model().objects
        handlers = {}
        for unit in [self.portal_unit, *self.units]:
            code = unit.site.code
            handlers[unit.pk] = users.create_user(f"{code}_handler", f"{code}_handler@x.gov.cn")
            handlers[unit.pk].groups.add(unit.handlers)
        self.handler = handlers[self.units[0].pk]
        self.dispatcher = users.create_user("www_dispatcher", "www_dispatcher@x.gov.cn")
        self.dispatcher.groups.add(self.portal_unit.dispatchers)
        self.admin = users.create_superuser("platform", "platform@x.gov.cn", "x")


def populate(world, count, now):
    """Bulk-create `count` letters and their deadlines as a running platform has them."""
    from django.contrib.auth.hashers import make_password

    from interaction.bulk import update_by_ids
    from interaction.deadlines import due_at, policy_for
    from interaction.models import Letter, LetterDeadline, Stage
    from runtime.workdays import Calendar

    rng = random.Random(11)
    calendar = Calendar()
    password = make_password("BENCH234")
    policies = {
        (category, stage): policy_for(category, "department", stage)
        for category in ("consultation", "complaint", "suggestion", "help", "report")
        for stage in Stage
    }
    states = []
    for state, share in SHARES.items():
        states += [state] * int(count * share)
    states += ["closed"] * (count - len(states))
    rng.shuffle(states)
    fresh = dict(FRESH)
    letters, plans = [], []
    for number, state in enumerate(states):
        category = rng.choice(("consultation", "complaint", "suggestion", "help", "report"))
        if state in ("closed", "not_accepted"):
            received = now - timedelta(days=rng.uniform(10, 730))
        elif state == "replied":
            received = None  # from the reply, below
        elif rng.random() < 0.05:  # long unanswered
            received = now - timedelta(days=rng.uniform(61, 120))
        else:
            received = now - timedelta(days=rng.uniform(0, 59))
        portal = rng.random() < 0.5
        unit = rng.choice(world.units)
        mailbox = world.mailboxes[world.portal_unit.pk if portal else unit.pk]
        lead = None if state == "received" else unit
        replied = None
        if state == "closed":
            replied = received + timedelta(days=rng.uniform(0.5, 9))
        elif state == "replied":  # the sweep closes them after 7 days
            replied = now - timedelta(days=rng.uniform(0, 6.9))
            if fresh["unrated"]:
                fresh["unrated"] -= 1
                replied = now - timedelta(days=7, minutes=rng.uniform(1, 4))
            received = replied - timedelta(days=rng.uniform(0.5, 9))
        rating = (
            rng.choice((5, 5, 5, 4, 4, 3, 2, 1))
            if state == "closed" and rng.random() < 0.7
            else None
        )
        alerted = None
        if state not in ("closed", "not_accepted", "replied") and received < now - timedelta(
            days=60
        ):
            if fresh["alert"]:
                fresh["alert"] -= 1
            else:
                alerted = received + timedelta(days=60, minutes=5)
        letters.append(
            Letter(
                mailbox=mailbox,
                category=category,
                subject=f"关于第{number}号事项的来信",
                content="小区门口道路一下雨就积水，请尽快处理。" * 5,
                name="张三",
                phone=f"139{rng.randrange(10**8):08d}",
                query_code=f"{number:010d}",
                query_password=password,
                state=state,
                lead_unit=lead,
                supervised=False,
                received_at=received,
                dispatched_at=received + timedelta(hours=1) if lead else None,
                replied_at=replied,
                rating=rating,
                rated_at=replied + timedelta(days=1) if rating else None,
                closed_at=replied + timedelta(days=2) if state == "closed" else None,
                alerted_at=alerted,
            )
        )
        plans.append((category, received, replied, state))
    Letter.objects.bulk_create(letters, batch_size=2000)

    deadlines = []
    for letter, (category, received, replied, state) in zip(letters, plans, strict=True):
        finished = replied or (received + timedelta(days=1) if state == "not_accepted" else None)
        for stage in Stage:
            amount, measure = policies[category, stage]
            due = due_at(received, amount, measure, calendar)
            met = finished
            if met is None and stage == Stage.RESPOND and state not in ("received", "dispatched"):
                met = received + timedelta(hours=2)
            if met is None and stage == Stage.FEEDBACK and state != "received":
                met = received + timedelta(days=rng.uniform(1, 6))
            deadline = LetterDeadline(
                letter=letter,
                stage=stage,
                starts_at=received,
                amount=amount,
                measure=measure,
                due_at=due,
                met_at=met,
            )
            if met is None:
                _as_swept(deadline, now, fresh)
            deadlines.append(deadline)
    LetterDeadline.objects.bulk_create(deadlines, batch_size=2000)
    update_by_ids(Letter, {d.letter_id for d in deadlines if d.overdue_at}, supervised=True)

    through = Letter.assisting_units.through
    through.objects.bulk_create(
        [
            through(letter_id=letter.pk, handlingunit_id=rng.choice(world.units).pk)
            for letter in letters
            if letter.lead_unit_id and rng.random() < 0.05
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return {"deadlines": len(deadlines)}


def _as_swept(deadline, now, fresh):
    """Mark an unmet deadline as the sweeps before this one left it; keep the fresh work."""
    soon = now + timedelta(hours=24)
    if deadline.due_at <= now:
        if fresh["overdue"]:
            fresh["overdue"] -= 1
            deadline.due_at = now - timedelta(minutes=2)
            deadline.reminded_at = now - timedelta(hours=20)
            return
        deadline.reminded_at = deadline.due_at - timedelta(hours=24)
        deadline.overdue_at = deadline.due_at + timedelta(minutes=5)
    elif deadline.due_at <= soon:
        if fresh["remind"]:
            fresh["remind"] -= 1
            return
        deadline.reminded_at = deadline.due_at - timedelta(hours=24)


def worker(count, submissions):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "0"
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="jiyue-bench-media.")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import F, OuterRef, Subquery
    from django.test.utils import override_settings
    from django.utils import timezone

    from interaction.models import Letter, LetterDeadline
    from interaction.submission import Upload, submit
    from interaction.sweep import sweep
    from interaction.workflow import OPEN_STATES
    from tests.interaction import workbench_urls

    call_command("migrate", verbosity=0)
    figures = {}
    started = time.perf_counter()
    world = World()
    now = timezone.now()
    figures |= populate(world, count, now)
    figures["letters"] = Letter.objects.count()
    figures["populate_s"] = time.perf_counter() - started

    # -- the sweep ------------------------------------------------------------------------
    def plain_counts():
        running = LetterDeadline.objects.filter(met_at=None, letter__state__in=OPEN_STATES)
        return (
            running.filter(
                reminded_at=None, due_at__gt=now, due_at__lte=now + timedelta(hours=24)
            ).count(),
            running.filter(overdue_at=None, due_at__lte=now).count(),
            Letter.objects.open()
            .filter(alerted_at=None, received_at__lte=now - timedelta(days=60))
            .count(),
            Letter.objects.filter(state="replied", replied_at__lte=now - timedelta(days=7)).count(),
        )

    figures["fresh"] = plain_counts()
    figures["count_ms"] = median_ms(plain_counts, 5)
    urls = "tests.interaction.workbench_urls" if workbench_urls.needed() else None
    with override_settings(**({"ROOT_URLCONF": urls} if urls else {})):
        figures["sweep_ms"], figures["sweep_counts"] = timed(lambda: sweep(now=now))
        figures["idle_sweep_ms"] = median_ms(lambda: sweep(now=now), 5)

    # -- the workbench listing ------------------------------------------------------------
    reply_due = LetterDeadline.objects.filter(letter=OuterRef("pk"), stage="reply").values("due_at")

    def listing(user):
        letters = (
            Letter.objects.visible_to(user)
            .open()
            .annotate(reply_due=Subquery(reply_due[:1]))
            .order_by("reply_due", "pk")
        )
        rows = letters.select_related("mailbox", "lead_unit")
        return lambda: (list(rows[:50]), letters.count())

    def joined(user):
        """The same page ordered through a join on the unmet reply deadline, which can walk
        LetterDeadline's (met_at, due_at) index instead of sorting every visible letter."""
        letters = (
            Letter.objects.visible_to(user)
            .open()
            .filter(deadlines__stage="reply", deadlines__met_at=None)
            .annotate(reply_due=F("deadlines__due_at"))
            .order_by("reply_due", "pk")
        )
        rows = letters.select_related("mailbox", "lead_unit")
        return lambda: (list(rows[:50]), letters.count())

    figures["plain_list_ms"] = median_ms(
        lambda: list(Letter.objects.order_by("-received_at")[:50]), 20
    )
    for name, user in (
        ("handler", world.handler),
        ("dispatcher", world.dispatcher),
        ("admin", world.admin),
    ):
        figures[f"list_{name}_ms"] = median_ms(listing(user), 20)
        figures[f"join_{name}_ms"] = median_ms(joined(user), 20)
        figures[f"list_{name}_rows"] = listing(user)()[1]

    # -- submissions ----------------------------------------------------------------------
    mailbox = world.mailboxes[world.portal_unit.pk]
    fields = {
        "category": "consultation",
        "subject": "关于道路积水的来信",
        "name": "李四",
        "content": "请尽快处理。" * 20,
    }
    rng = random.Random(12)

    def phone():
        return f"138{rng.randrange(10**8):08d}"

    def per_second(run):
        start = time.perf_counter()
        for number in range(submissions):
            run(number)
        return submissions / (time.perf_counter() - start)

    figures["plain_create_per_s"] = per_second(
        lambda n: Letter.objects.create(
            mailbox=mailbox,
            query_code=f"P{n:09d}",
            query_password="x",
            received_at=timezone.now(),
            phone=phone(),
            **fields,
        )
    )
    figures["submit_per_s"] = per_second(lambda n: submit(mailbox, phone=phone(), **fields))
    png = Upload(small_png(), "image/png", ".png", "现场.png")
    figures["submit_png_per_s"] = per_second(
        lambda n: submit(mailbox, uploads=[png], phone=phone(), **fields)
    )
    print(json.dumps(figures))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.letters, args.submissions)
        return
    from bench.harness import run_on_each_database

    results = run_on_each_database(
        Path(__file__),
        ["--letters", str(args.letters), "--submissions", str(args.submissions)],
        args.sqlite_only,
    )
    for database, f in results.items():
        print(
            f"\n{database}: {f['letters']} letters, {f['deadlines']} deadlines "
            f"(built in {f['populate_s']:.0f} s)"
        )
        reminded, overdue, alerts, unrated = f["fresh"]
        counts = f["sweep_counts"]
        print(
            f"  sweep with one run's work ({reminded} to remind, {overdue} overdue, {alerts} past "
            f"60 days, {unrated} unrated): {f['sweep_ms'] / 1000:.2f} s "
            f"({f['sweep_ms'] / f['count_ms']:.0f}× a plain count of the same rows, "
            f"{f['count_ms']:.0f} ms); did {counts}"
        )
        print(
            f"  sweep with nothing to do: {f['idle_sweep_ms']:.0f} ms "
            f"({f['idle_sweep_ms'] / f['count_ms']:.1f}× the plain count)"
        )
        plain = f["plain_list_ms"]
        print(f"  plain Letter.objects.order_by('-received_at')[:50]: {plain:.1f} ms")
        for name in ("handler", "dispatcher", "admin"):
            ms = f[f"list_{name}_ms"]
            join = f[f"join_{name}_ms"]
            print(
                f"  workbench listing as the {name} ({f[f'list_{name}_rows']} open letters, first "
                f"50 + count): {ms:.1f} ms ({ms / plain:.1f}× plain); ordered through a join "
                f"on the unmet reply deadline: {join:.1f} ms ({join / plain:.1f}×)"
            )
        create = f["plain_create_per_s"]
        print(f"  plain Letter.objects.create: {create:.0f} letters/s")
        for key, label in (
            ("submit_per_s", "submit()"),
            ("submit_png_per_s", "submit() + 1 PNG"),
        ):
            print(f"  {label}: {f[key]:.0f} letters/s ({create / f[key]:.1f}× slower than plain)")


if __name__ == "__main__":
    main()
