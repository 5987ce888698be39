"""A simulated national self-assessment for the demo: a baseline about a year ago and a
follow-up about two months ago (``demo.timeline``), each run by the organisations that take
part in it (``demo.population``), closed and then published as the daily
``publish_results`` job would.

Each respondent has a leniency of their own; each rating is the organisation's level on the
goal for the respondent's target group plus noise, rounded to the 1–5 scale, with some "don't
know" (more among politicians on architecture and information). The answers are generated in
one pass and written in bulk (COPY on PostgreSQL, ``executemany`` elsewhere); every figure is
then computed by the publication's SQL aggregation.
"""

import random
from datetime import timedelta

from django.db import connection, transaction

from assessments.models import Answer, Response, Round, RoundLink
from assessments.questionnaire import visible_items
from assessments.rounds import create_round
from registry.models import Organisation

from .population import SHARE_WOMEN, Member

BASELINE_NAME = "Nationell nollmätning {year}"
FOLLOW_UP_NAME = "Nationell uppföljning {year}"
DONT_KNOW = 0.04  # the share of "don't know" …
DONT_KNOW_TECHNICAL = 0.10  # … and among politicians on architecture and information


def wave_names(tl) -> list[str]:
    return [
        BASELINE_NAME.format(year=tl.baseline_opens.year),
        FOLLOW_UP_NAME.format(year=tl.follow_up_opens.year),
    ]


def _gender(rng: random.Random, group: str) -> str:
    draw = rng.random()
    if draw < 0.015:
        return "other"
    if draw < 0.045:
        return "undisclosed"
    return "woman" if rng.random() < SHARE_WOMEN[group] else "man"


def _items(link) -> list[tuple[int, str, float]]:
    """[(item id, goal key, chance of "don't know")] for the link's target group."""
    technical = link.target_group.key == "politician"
    return [
        (
            item.pk,
            item.goal.key,
            DONT_KNOW_TECHNICAL
            if technical and item.goal.area.key in ("arkitektur", "information")
            else DONT_KNOW,
        )
        for item in visible_items(link)
    ]


def insert_answers(rows: list[tuple[int, int, int | None]]) -> None:
    """Write (response id, item id, value) rows in bulk, without model instances."""
    insert_rows(Answer._meta.db_table, ("response_id", "item_id", "value"), rows)


def insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Write rows into ``table`` in bulk: COPY on PostgreSQL, ``executemany`` elsewhere."""
    names = f"({', '.join(columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} {names} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            for start in range(0, len(rows), 50000):
                cursor.executemany(
                    f"INSERT INTO {table} {names} VALUES ({marks})",
                    rows[start : start + 50000],
                )


def _wave(version, members, wave, name, kind, opens_on, closes_on, rng) -> tuple[list, int]:
    key_rng = random.Random(f"record-keys:{wave}:{name}")
    """Create one wave's rounds and submitted responses; returns (rounds, responses)."""
    days = (closes_on - opens_on).days
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=list(members))}
    items_by_group, rounds, links, planned = {}, [], [], []
    for pk in sorted(members, key=lambda pk: members[pk].code):
        member = members[pk]
        if not member.takes_part[wave]:
            continue
        round_ = create_round(
            organisation=organisations[pk],
            user=None,
            name=name,
            kind=kind,
            version=version,
            opens_on=opens_on,
            closes_on=closes_on,
        )
        rounds.append(round_)
        for link in round_.links.select_related("target_group"):
            group = link.target_group.key
            link.invited_count = member.invited[group]
            # The seeded answers came through the shared link: each took one of its places.
            link.shared_begins = member.answered[wave][group]
            links.append(link)
            if group not in items_by_group:
                items_by_group[group] = _items(link)
            for _n in range(member.answered[wave][group]):
                submitted = opens_on + timedelta(days=rng.randint(0, days))
                started = max(opens_on, submitted - timedelta(days=rng.choice([0, 0, 0, 1, 2])))
                response = Response(
                    link=link,
                    round=round_,
                    gender=_gender(rng, group),
                    started_on=started,
                    submitted_on=submitted,
                    secret=None,  # a submitted response keeps no key to a device
                    # Drawn from a stream of its own, so that the demo's noise
                    # (results.disclosure) is the same on every load and the answers too.
                    record_key=key_rng.getrandbits(32),
                )
                planned.append((response, member, group, rng.gauss(0, 0.3)))
    RoundLink.objects.bulk_update(links, ["invited_count", "shared_begins"], batch_size=1000)
    Response.objects.bulk_create([p[0] for p in planned], batch_size=2000)
    rows = []
    for response, member, group, leniency in planned:
        for item_id, goal, dont_know in items_by_group[group]:
            if rng.random() < dont_know:
                value = None
            else:
                level = member.level(wave, group, goal) + leniency
                value = min(5, max(1, round(rng.gauss(level, 0.75))))
            rows.append((response.pk, item_id, value))
    insert_answers(rows)
    return rounds, len(planned)


@transaction.atomic
def load_national_demo(version, tl, members: dict[int, Member], seed: int = 2026) -> int:
    """Create both waves unless they exist; returns how many responses were made."""
    names = wave_names(tl)
    if Round.objects.filter(name=names[0], kind=Round.Kind.BASELINE).exists():
        return 0
    rng = random.Random(seed)
    _rounds, made = _wave(
        version,
        members,
        0,
        names[0],
        Round.Kind.BASELINE,
        tl.baseline_opens,
        tl.baseline_closes,
        rng,
    )
    _rounds, more = _wave(
        version,
        members,
        1,
        names[1],
        Round.Kind.FOLLOW_UP,
        tl.follow_up_opens,
        tl.follow_up_closes,
        rng,
    )
    return made + more
