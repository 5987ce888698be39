"""Publishing a round's results: computed once, when the round closes, suppression applied.

``publish_round`` is the one action that writes published figures. It runs when a coordinator
closes a round early (``assessments.signals.round_closed``) and, for rounds whose closing date
has passed, from ``manage.py publish_results`` (run daily). The answers are aggregated in SQL
into cross cells (round × unit × target group × gender); from those small tables the figures
that may be shown are decided here, with every rule of ``results.anonymity``, and stored.
Cross cells themselves are never stored.
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from assessments.models import Answer, Response, Round

from . import anonymity
from .disclosure import KEY_MODULUS
from .models import PoolCell, Publication, PublishedFigure, UnitKind
from .statistics import Sums

GENDERS = ("woman", "man", "other")

# How a unit is reached from an answer's item: (extra join, unit column).
_UNIT_JOINS = {
    UnitKind.GOAL: ("", "i.goal_id"),
    UnitKind.AREA: ("JOIN frameworks_goal g ON g.id = i.goal_id", "g.area_id"),
    UnitKind.PREREQUISITE: (
        "JOIN frameworks_item_prerequisites ip ON ip.item_id = i.id",
        "ip.prerequisite_id",
    ),
}

_COUNTS = ", ".join(f"SUM(CASE WHEN a.value = {v} THEN 1 ELSE 0 END) AS c{v}" for v in range(1, 6))
_SUM_COUNTS = ", ".join(f"SUM(c{v})" for v in range(1, 6))

# The inner query scores each respondent per unit (their mean rating); a respondent with no
# rating in the unit (only "don't know") has no score there and is left out of the cell.
_CROSS_CELLS_SQL = """
SELECT round_id, unit_id, target_group_id, gender, COUNT(*), SUM(score), SUM(score * score),
       {sum_counts}, SUM(cdk), SUM(rk)
FROM (
    SELECT r.round_id, {unit} AS unit_id, l.target_group_id,
           CASE WHEN r.gender IN ('woman', 'man') THEN r.gender ELSE 'other' END AS gender,
           AVG(a.value * 1.0) AS score, {counts},
           SUM(CASE WHEN a.value IS NULL THEN 1 ELSE 0 END) AS cdk,
           MAX(COALESCE(r.record_key, 0)) AS rk
    FROM assessments_answer a
    JOIN assessments_response r ON r.id = a.response_id
    JOIN assessments_roundlink l ON l.id = r.link_id
    JOIN frameworks_item i ON i.id = a.item_id
    {join}
    WHERE r.submitted_on IS NOT NULL AND r.round_id IN ({placeholders})
    GROUP BY r.round_id, {unit}, l.target_group_id, r.gender, r.id
) per_respondent
WHERE score IS NOT NULL
GROUP BY round_id, unit_id, target_group_id, gender
"""

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
        publication = by_round[round_id]
        for group_id, gender, status, sums in unit_figures(cross):
            figures.append(_figure(publication, kind, unit_id, group_id, gender, status, sums))
        pool += _pool_cells(publication, kind, unit_id, cross)
    PublishedFigure.objects.bulk_create(figures, batch_size=2000)
    PoolCell.objects.bulk_create(pool, batch_size=2000)


def rated_respondents(round_ids) -> dict[int, int]:
    """Per round: submitted responses with at least one rating. An empty or all-"don't know"
    submission counts nowhere."""
    rated = Answer.objects.filter(response=OuterRef("pk"), value__isnull=False)
    return dict(
        Response.objects.filter(round_id__in=round_ids, submitted_on__isnull=False)
        .filter(Exists(rated))
        .values_list("round_id")
        .annotate(n=Count("id"))
    )


def cross_cells(round_ids) -> dict:
    """{(round id, unit kind, unit id): {(target group id, gender): Sums}} in one query per
    unit kind."""
    cells = defaultdict(dict)
    placeholders = ", ".join(["%s"] * len(round_ids))
    with connection.cursor() as cursor:
        for kind, (join, unit) in _UNIT_JOINS.items():
            sql = _CROSS_CELLS_SQL.format(
                unit=unit,
                join=join,
                counts=_COUNTS,
                sum_counts=_SUM_COUNTS,
                placeholders=placeholders,
            )
            cursor.execute(sql, list(round_ids))
            for (
                round_id,
                unit_id,
                group_id,
                gender,
                n,
                total,
                squares,
                *counts,
            ) in cursor.fetchall():
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
    parts = defaultdict(Sums)
    for key, sums in cross.items():
        parts[key[index]] = parts[key[index]] + sums
    return dict(parts)


def unit_figures(cross: dict, k: int | None = None) -> list[tuple]:
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
    total = sum(cross.values(), Sums())
    if total.respondents == 0:
        return []
    if not anonymity.passes(total, k):
        return [(None, "", Status.SUPPRESSED, None)]
    figures = [(None, "", Status.SHOWN, total)]
    groups = _margin(cross, 0)
    hidden = {key for key, sums in groups.items() if not anonymity.passes(sums, k)}
    figures += [
        (group_id, "", Status.SUPPRESSED if group_id in hidden else Status.SHOWN, sums)
        for group_id, sums in sorted(groups.items())
    ]
    genders = _margin(cross, 1)
    if any(not anonymity.passes(sums, k) for sums in cross.values() if sums.respondents):
        figures += [(None, gender, Status.LINKED, None) for gender in sorted(genders)]
    else:
        hidden = anonymity.suppressed_parts(genders, k)
        figures += [
            (None, gender, Status.SUPPRESSED if gender in hidden else Status.SHOWN, sums)
            for gender, sums in sorted(genders.items())
        ]
    return figures


def _figure(publication, kind, unit_id, group_id, gender, status, sums) -> PublishedFigure:
    figure = PublishedFigure(
        publication=publication,
        round_id=publication.round_id,
        unit_kind=kind,
        unit_id=unit_id,
        target_group_id=group_id,
        gender=gender,
        status=status,
    )
    if status == PublishedFigure.Status.SHOWN:
        figure.cell_key = sums.key
        figure.respondents = sums.respondents
        figure.score_sum = sums.score_sum
        figure.score_sq_sum = sums.score_sq_sum
        (
            figure.count_1,
            figure.count_2,
            figure.count_3,
            figure.count_4,
            figure.count_5,
        ) = sums.counts
        figure.count_dk = sums.dont_know
    return figure


def _pool_cells(publication, kind, unit_id, cross: dict) -> list[PoolCell]:
    """The round's contributions to pooled figures for one unit, if its whole-round figure
    passes the threshold (else none: it enters no pooled figure for this unit)."""
    total = sum(cross.values(), Sums())
    if not total.respondents or not anonymity.passes(total):
        return []
    margins = [(None, "", total)]
    margins += [(group_id, "", sums) for group_id, sums in sorted(_margin(cross, 0).items())]
    margins += [(None, gender, sums) for gender, sums in sorted(_margin(cross, 1).items())]
    return [
        PoolCell(
            publication=publication,
            round_id=publication.round_id,
            unit_kind=kind,
            unit_id=unit_id,
            target_group_id=group_id,
            gender=gender,
            respondents=sums.respondents,
            score_sum=sums.score_sum,
            score_sq_sum=sums.score_sq_sum,
            count_1=sums.counts[0],
            count_2=sums.counts[1],
            count_3=sums.counts[2],
            count_4=sums.counts[3],
            count_5=sums.counts[4],
            count_dk=sums.dont_know,
            cell_key=sums.key,
        )
        for group_id, gender, sums in margins
    ]


def publish_closed_round(sender, round_id, **kwargs):
    """Receiver of ``round_closed``: publish in the closing transaction."""
    publish_round(Round.objects.get(pk=round_id))
