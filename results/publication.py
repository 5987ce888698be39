"""Publishing a round's results: computed once, when the round closes, suppression applied.

``publish_round`` is the one action that writes published figures. It runs when a coordinator
closes a round early (``assessments.signals.round_closed``) and, for rounds whose closing date
has passed, from ``manage.py publish_results`` (run daily). The respondents' scores per unit
(``assessments.ResponseScore``, written at each submit) are aggregated in SQL into cross cells
(round × unit × target group × gender); from those small tables the figures that may be shown
are decided here, with every rule of ``results.anonymity``, and stored. Cross cells themselves
are never stored.
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import ResponseScore, Round
from assessments.scores import score_unscored

from . import anonymity
from .disclosure import KEY_MODULUS
from .models import PoolCell, Publication, PublishedFigure, UnitKind
from .statistics import Sums

GENDERS = ("woman", "man", "other")

_GENDER = "CASE WHEN s.gender IN ('woman', 'man') THEN s.gender ELSE 'other' END"
_SCORE = "(s.value_sum * 1.0 / s.rated)"

# A respondent's score in a unit is their mean rating there, value_sum / rated, exactly as
# the answers' AVG(value * 1.0) gave it (a respondent with no rating in the unit, only "don't
# know", has no score there and is left out of the cell). One row per respondent and unit
# (``assessments.ResponseScore``), one statement for every unit kind.
#
# On PostgreSQL that AVG is a numeric rounded half up at 16 decimals (exact when the score is
# 1), summed exactly. Summing numerics row by row cost more than everything else together, so
# the same exact sums are made in integers: x = the score × 10¹⁶ (below 2⁶³), Σx, and Σx² from
# x = h·10⁸ + l as Σh²·10¹⁶ + Σ2hl·10⁸ + Σl² (each term below 2⁶³; PostgreSQL sums bigints
# exactly). Python divides the exact integers, rounding once, as the numeric became a float
# once. (Exact while a unit has fewer than 461 rated items.)
_X = (
    "((s.value_sum / s.rated) * 10000000000000000"
    " + (MOD(s.value_sum, s.rated) * 20000000000000000 + s.rated) / (2 * s.rated))"
)
_CROSS_CELLS_SQL = f"""
SELECT round_id, unit_kind, unit_id, target_group_id, gender, COUNT(*), SUM(x),
       SUM((x / 100000000) * (x / 100000000)), SUM(2 * (x / 100000000) * MOD(x, 100000000)),
       SUM(MOD(x, 100000000) * MOD(x, 100000000)),
       SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(cdk), SUM(rk)
FROM (
    SELECT s.round_id, s.unit_kind, s.unit_id, s.target_group_id, {_GENDER} AS gender,
           {_X}::bigint AS x, s.count_1 AS c1, s.count_2 AS c2, s.count_3 AS c3,
           s.count_4 AS c4, s.count_5 AS c5, s.dont_know AS cdk, s.record_key AS rk
    FROM assessments_responsescore s
    WHERE s.rated > 0 AND s.round_id IN ({{placeholders}})
) per_respondent
GROUP BY round_id, unit_kind, unit_id, target_group_id, gender
"""
_E8, _E16, _E32 = 10**8, 10**16, 10**32

# SQLite adds floating-point numbers in the order it meets them, so there the scores are
# summed in the order the aggregation over answers met them (respondents by round, unit,
# target group, gender and id), one unit kind at a time: the same doubles to the last bit.
_CROSS_CELLS_SQLITE = f"""
SELECT round_id, unit_kind, unit_id, target_group_id, gender, COUNT(*), SUM(score),
       SUM(score * score), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(cdk), SUM(rk)
FROM (
    SELECT s.round_id, s.unit_kind, s.unit_id, s.target_group_id, {_GENDER} AS gender,
           {_SCORE} AS score, s.count_1 AS c1, s.count_2 AS c2, s.count_3 AS c3,
           s.count_4 AS c4, s.count_5 AS c5, s.dont_know AS cdk, s.record_key AS rk
    FROM assessments_responsescore s
    WHERE s.rated > 0 AND s.unit_kind = %s AND s.round_id IN ({{placeholders}})
    ORDER BY s.round_id, s.unit_id, s.target_group_id, s.gender, s.response_id
) per_respondent
GROUP BY round_id, unit_kind, unit_id, target_group_id, gender
"""

# Memory for the aggregation's hash table on PostgreSQL (the default 4 MB spills to disk).
_WORK_MEM = "64MB"

# Rounds per statement: keeps the IN list well under every database's parameter limit.
_BATCH = 500


def due_rounds(today=None):
    """Closed rounds (closing date passed, or closed early) not yet published."""
    today = today or timezone.localdate()
    return Round.objects.filter(
        Q(closes_on__lt=today) | Q(closed_early_at__isnull=False), publication__isnull=True
    )


def publish_due(today=None) -> int:
    """Publish every closed, unpublished round; returns how many were published."""
    ids = list(due_rounds(today).values_list("pk", flat=True))
    for start in range(0, len(ids), _BATCH):
        _publish_batch(ids[start : start + _BATCH])
    return len(ids)


def publish_round(round_: Round) -> Publication:
    """Publish one closed round (a no-op returning the existing publication if it is)."""
    if round_.status != "closed":
        raise ValueError("only a closed round is published")
    _publish_batch([round_.pk])
    return Publication.objects.get(round=round_)


def republish_round(round_: Round) -> Publication:
    """Recompute a published round after a correction. Only ``programme.corrections`` calls
    this, which audits it; everything else treats publications as immutable."""
    with transaction.atomic():
        previous = Publication.objects.select_for_update().get(round=round_)
        edition = previous.edition + 1
        previous.delete()
        # A correction reads the answers as they are now (responses removed, say).
        ResponseScore.objects.filter(response__round=round_).delete()
        _publish_batch([round_.pk], edition=edition)
    return Publication.objects.get(round=round_)


@transaction.atomic
def _publish_batch(round_ids: list[int], edition: int = 1):
    # Lock the rounds so that two publishers (a close and the daily job) cannot both write.
    rounds = list(
        Round.objects.select_for_update(of=("self",))
        .filter(pk__in=round_ids, publication__isnull=True)
        .values_list("pk", flat=True)
    )
    if not rounds:
        return
    today = timezone.localdate()
    # Responses that were not submitted through ``submit`` (loaded in bulk, or submitted
    # before scores were kept) are scored now; those submitted there were scored then.
    score_unscored(rounds)
    counts = rated_respondents(rounds)
    publications = Publication.objects.bulk_create(
        Publication(
            round_id=rid, published_on=today, respondents=counts.get(rid, 0), edition=edition
        )
        for rid in rounds
    )
    by_round = {p.round_id: p for p in publications}
    if any(p.pk is None for p in publications):  # a database that returns no ids from bulk inserts
        by_round = {p.round_id: p for p in Publication.objects.filter(round_id__in=rounds)}
    cells = cross_cells(rounds)
    figures, pool = [], []
    for (round_id, kind, unit_id), cross in cells.items():
        publication_id = by_round[round_id].pk
        parts = _parts(cross)
        for group_id, gender, status, sums in unit_figures(cross, parts=parts):
            figures.append(
                _figure_row(publication_id, round_id, kind, unit_id, group_id, gender, status, sums)
            )
        pool += _pool_rows(publication_id, round_id, kind, unit_id, parts)
    _insert(PublishedFigure, _FIGURE_COLUMNS, figures)
    _insert(PoolCell, _POOL_COLUMNS, pool)


_SUMS_COLUMNS = (
    "respondents",
    "score_sum",
    "score_sq_sum",
    "count_1",
    "count_2",
    "count_3",
    "count_4",
    "count_5",
    "count_dk",
    "cell_key",
)
_UNIT_COLUMNS = ("publication_id", "round_id", "unit_kind", "unit_id", "target_group_id", "gender")
_FIGURE_COLUMNS = (*_UNIT_COLUMNS, "status", *_SUMS_COLUMNS)
_POOL_COLUMNS = (*_UNIT_COLUMNS, *_SUMS_COLUMNS)
_NO_SUMS = (None,) * len(_SUMS_COLUMNS)


def _sums_row(sums: Sums) -> tuple:
    return (
        sums.respondents,
        sums.score_sum,
        sums.score_sq_sum,
        *sums.counts,
        sums.dont_know,
        sums.key,
    )


def _insert(model, columns: tuple, rows: list[tuple]) -> None:
    """Store new rows, given as tuples of ``columns``: on PostgreSQL with COPY (a national
    publication writes a hundred thousand or more, which ``bulk_create`` took most of the
    time to build and send), elsewhere with ``bulk_create``."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=2000
        )
        return
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def rated_respondents(round_ids) -> dict[int, int]:
    """Per round: submitted responses with at least one rating. An empty or all-"don't know"
    submission counts nowhere. (Every item belongs to a goal area, so a rating anywhere is
    a rating in some area.) Only scored responses are counted: ``score_unscored`` first."""
    return dict(
        ResponseScore.objects.filter(round_id__in=round_ids, unit_kind=UnitKind.AREA, rated__gt=0)
        .values_list("round_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    )


def cross_cells(round_ids) -> dict:
    """{(round id, unit kind, unit id): {(target group id, gender): Sums}}, from the
    respondents' scores per unit (``score_unscored`` first for responses that may have none);
    each unit's cells in the order of their keys."""
    round_ids = list(round_ids)
    placeholders = ", ".join(["%s"] * len(round_ids))
    rows = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            sql = _CROSS_CELLS_SQLITE.format(placeholders=placeholders)
            for kind in UnitKind:
                cursor.execute(sql, [kind.value, *round_ids])
                rows += cursor.fetchall()
        else:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                cursor.execute(f"SET LOCAL work_mem = '{_WORK_MEM}'")
            cursor.execute(_CROSS_CELLS_SQL.format(placeholders=placeholders), round_ids)
            rows = [
                (*row[:6], int(x) / _E16, (int(hh) * _E16 + int(hl) * _E8 + int(ll)) / _E32, *rest)
                for row in cursor.fetchall()
                for x, hh, hl, ll, *rest in [row[6:]]
            ]
    rows.sort(key=lambda row: (row[0], row[1], row[2], row[3] or 0, row[4]))
    cells = defaultdict(dict)
    for round_id, kind, unit_id, group_id, gender, n, total, squares, *counts in rows:
        cells[(round_id, kind, unit_id)][(group_id, gender)] = Sums(
            respondents=n,
            rated=n,
            score_sum=float(total),
            score_sq_sum=float(squares),
            counts=tuple(int(c) for c in counts[:5]),
            dont_know=int(counts[5]),
            key=int(counts[6]) % KEY_MODULUS,
        )
    return cells


def _margin(cross: dict, index: int) -> dict:
    parts = defaultdict(list)
    for key, sums in cross.items():
        parts[key[index]].append(sums)
    return {key: Sums.total(sums) for key, sums in parts.items()}


def _parts(cross: dict) -> tuple[Sums, dict, dict]:
    """A unit's total, its target groups and its genders, from its cross cells."""
    return Sums.total(cross.values()), _margin(cross, 0), _margin(cross, 1)


def unit_figures(cross: dict, k: int | None = None, parts=None) -> list[tuple]:
    """The figures of one unit that may be published, from its cross cells
    {(target group id, gender): Sums}: [(target group id or None, gender or '', status, sums)].

    - The total, unless it is under the threshold (then it alone is published, suppressed).
    - Each target group that reaches the threshold. No complementary suppression: every shown
      figure is perturbed (``results.disclosure``), so the total minus the shown groups gives
      a hidden group's figure plus the noise of several cells, not the figure.
    - Genders only when every target group × gender cross cell is 0 or at least the threshold:
      otherwise "women" and the target groups together would single out a small cross cell
      (the only woman among the politicians), so the gender breakdown is hidden as linked.
    """
    k = anonymity.threshold() if k is None else k
    Status = PublishedFigure.Status
    total, groups, genders = parts or _parts(cross)
    if total.respondents == 0:
        return []
    if not anonymity.passes(total, k):
        return [(None, "", Status.SUPPRESSED, None)]
    figures = [(None, "", Status.SHOWN, total)]
    hidden = {key for key, sums in groups.items() if not anonymity.passes(sums, k)}
    figures += [
        (group_id, "", Status.SUPPRESSED if group_id in hidden else Status.SHOWN, sums)
        for group_id, sums in sorted(groups.items())
    ]
    if any(not anonymity.passes(sums, k) for sums in cross.values() if sums.respondents):
        figures += [(None, gender, Status.LINKED, None) for gender in sorted(genders)]
    else:
        hidden = anonymity.suppressed_parts(genders, k)
        figures += [
            (None, gender, Status.SUPPRESSED if gender in hidden else Status.SHOWN, sums)
            for gender, sums in sorted(genders.items())
        ]
    return figures


def _figure_row(publication_id, round_id, kind, unit_id, group_id, gender, status, sums):
    """A ``PublishedFigure`` row (``_FIGURE_COLUMNS``): only a shown figure keeps numbers."""
    numbers = _sums_row(sums) if status == PublishedFigure.Status.SHOWN else _NO_SUMS
    return (publication_id, round_id, kind, unit_id, group_id, gender, str(status), *numbers)


def _pool_rows(publication_id, round_id, kind, unit_id, parts) -> list[tuple]:
    """The round's contributions to pooled figures for one unit (``PoolCell`` rows), if its
    whole-round figure passes the threshold (else none: it enters no pooled figure for this
    unit)."""
    total, groups, genders = parts
    if not total.respondents or not anonymity.passes(total):
        return []
    margins = [(None, "", total)]
    margins += [(group_id, "", sums) for group_id, sums in sorted(groups.items())]
    margins += [(None, gender, sums) for gender, sums in sorted(genders.items())]
    return [
        (publication_id, round_id, kind, unit_id, group_id, gender, *_sums_row(sums))
        for group_id, gender, sums in margins
    ]


def publish_closed_round(sender, round_id, **kwargs):
    """Receiver of ``round_closed``: publish in the closing transaction."""
    publish_round(Round.objects.get(pk=round_id))
