"""Rebuilding a round's result cells with one INSERT … SELECT per unit kind.

The SQL is plain enough to run unchanged on SQLite and PostgreSQL. The inner query scores
each respondent per unit (their mean rating, "don't know" left out); the outer one sums those
scores per round × unit × target group × gender.
"""

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from assessments.models import Response, Round

from .models import ResultCell, RoundResultState, UnitKind

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

_SQL = """
INSERT INTO results_resultcell
    (round_id, unit_kind, unit_id, target_group_id, gender, respondents, rated,
     score_sum, score_sq_sum, count_1, count_2, count_3, count_4, count_5, count_dk)
SELECT round_id, %s, unit_id, target_group_id, gender, COUNT(*), COUNT(score),
       COALESCE(SUM(score), 0), COALESCE(SUM(score * score), 0), {sum_counts}, SUM(cdk)
FROM (
    SELECT r.round_id, {unit} AS unit_id, l.target_group_id, r.gender, r.id AS response_id,
           AVG(a.value * 1.0) AS score, {counts},
           SUM(CASE WHEN a.value IS NULL THEN 1 ELSE 0 END) AS cdk
    FROM assessments_answer a
    JOIN assessments_response r ON r.id = a.response_id
    JOIN assessments_roundlink l ON l.id = r.link_id
    JOIN frameworks_item i ON i.id = a.item_id
    {join}
    WHERE r.submitted_on IS NOT NULL AND r.round_id IN ({placeholders})
    GROUP BY r.round_id, {unit}, l.target_group_id, r.gender, r.id
) per_respondent
GROUP BY round_id, unit_id, target_group_id, gender
"""

# Rounds per statement: keeps the IN list well under every database's parameter limit.
_BATCH = 500


def refresh_rounds(round_ids) -> int:
    """Rebuild the cells of these rounds atomically; returns how many rounds were rebuilt."""
    round_ids = sorted(set(round_ids))
    for start in range(0, len(round_ids), _BATCH):
        batch = round_ids[start : start + _BATCH]
        _create_missing_states(batch)
        _refresh_batch(batch)
    return len(round_ids)


def _create_missing_states(round_ids: list[int]):
    """Committed before the rebuild starts, so that a concurrent submission has a row to mark."""
    RoundResultState.objects.bulk_create(
        [
            RoundResultState(round_id=rid, refreshed_at=timezone.now(), stale=True)
            for rid in round_ids
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def _refresh_batch(round_ids: list[int]):
    # Clearing ``stale`` first takes the state rows' locks: a submission that commits while we
    # read either waits for us and marks the round stale again afterwards, or is seen by us.
    RoundResultState.objects.filter(round_id__in=round_ids).update(
        stale=False, refreshed_at=timezone.now()
    )
    ResultCell.objects.filter(round_id__in=round_ids).delete()
    placeholders = ", ".join(["%s"] * len(round_ids))
    with connection.cursor() as cursor:
        for kind, (join, unit) in _UNIT_JOINS.items():
            sql = _SQL.format(
                unit=unit,
                join=join,
                counts=_COUNTS,
                sum_counts=_SUM_COUNTS,
                placeholders=placeholders,
            )
            cursor.execute(sql, [kind.value, *round_ids])
    counts = dict(
        Response.objects.filter(round_id__in=round_ids, submitted_on__isnull=False)
        .values_list("round_id")
        .annotate(n=Count("id"))
    )
    states = RoundResultState.objects.in_bulk(round_ids, field_name="round_id")
    for round_id in round_ids:
        state = states.get(round_id) or RoundResultState(
            round_id=round_id, refreshed_at=timezone.now()
        )
        state.respondents = counts.get(round_id, 0)
        state.save()


def stale_rounds(rounds=None):
    """Rounds with a submission since their last rebuild, or never rebuilt."""
    rounds = Round.objects.all() if rounds is None else rounds
    submitted = Response.objects.filter(round_id=OuterRef("pk"), submitted_on__isnull=False)
    return rounds.filter(
        Q(result_state__stale=True) | (Q(result_state__isnull=True) & Exists(submitted))
    )


def ensure_fresh(rounds=None) -> int:
    """Rebuild only what is stale; cheap when nothing is."""
    return refresh_rounds(stale_rounds(rounds).values_list("pk", flat=True))


def refresh_all() -> int:
    """The full national recomputation: every round with at least one submission."""
    ids = Response.objects.filter(submitted_on__isnull=False).values_list("round_id", flat=True)
    return refresh_rounds(ids.distinct())


def mark_stale(sender, round_id, **kwargs):
    RoundResultState.objects.filter(round_id=round_id).update(stale=True)
