"""Each submitted response's answers summed per unit (``ResponseScore``), so that publishing a
round reads a few rows per respondent instead of every answer.

A response is scored once, in the transaction that submits it (``questionnaire.submit``, about
2 ms). Responses that were submitted some other way (loaded in bulk, or before scores existed)
are scored when their round is published (``score_unscored``), so the published figures never
depend on how a response arrived. One ``INSERT … SELECT`` aggregates the answers in SQL.
"""

from django.db import connection

from frameworks.models import UnitKind

from .models import ResponseScore

# How a unit is reached from an answer: (extra join, unit column), as in results.publication.
UNIT_JOINS = {
    UnitKind.GOAL: ("", "i.goal_id"),
    UnitKind.AREA: ("JOIN frameworks_goal g ON g.id = i.goal_id", "g.area_id"),
    UnitKind.PREREQUISITE: (
        "JOIN frameworks_item_prerequisites ip ON ip.item_id = i.id",
        "ip.prerequisite_id",
    ),
}

_PART = """
SELECT a.response_id, r.round_id, l.target_group_id, r.gender, COALESCE(r.record_key, 0),
       '{kind}', {unit}, COUNT(a.value), COALESCE(SUM(a.value), 0), {counts},
       SUM(CASE WHEN a.value IS NULL THEN 1 ELSE 0 END)
FROM assessments_answer a
JOIN assessments_response r ON r.id = a.response_id
JOIN assessments_roundlink l ON l.id = r.link_id
JOIN frameworks_item i ON i.id = a.item_id
{join}
WHERE a.response_id BETWEEN %s AND %s AND a.response_id IN ({responses})
GROUP BY a.response_id, r.round_id, l.target_group_id, r.gender, r.record_key, {unit}"""

_COUNTS = ", ".join(f"SUM(CASE WHEN a.value = {v} THEN 1 ELSE 0 END)" for v in range(1, 6))

_COLUMNS = (
    "response_id, round_id, target_group_id, gender, record_key, unit_kind, unit_id, rated, "
    "value_sum, count_1, count_2, count_3, count_4, count_5, dont_know"
)

# Submitted responses of some rounds that have no scores yet.
UNSCORED = """
SELECT r.id FROM assessments_response r
WHERE r.round_id IN ({rounds}) AND r.submitted_on IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM assessments_responsescore s WHERE s.response_id = r.id)"""


def insert_sql(responses: str) -> str:
    """The statement that scores the responses that the SQL ``responses`` selects, all with
    ids between two bounds (the bounds and the parameters of ``responses`` are given once for
    each of the three unit kinds). The bounds let the database read the answers of just those
    responses through the index on (response, item)."""
    parts = [
        _PART.format(kind=kind.value, unit=unit, join=join, counts=_COUNTS, responses=responses)
        for kind, (join, unit) in UNIT_JOINS.items()
    ]
    table = ResponseScore._meta.db_table
    return f"INSERT INTO {table} ({_COLUMNS})" + "\nUNION ALL".join(parts)


def score_response(response_id: int) -> None:
    """Score one response that has just been submitted (inside the submitting transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(insert_sql("%s"), [response_id] * 3 * len(UNIT_JOINS))


# Responses scored by one statement when many are.
_BATCH = 2000


def score_unscored(round_ids) -> int:
    """Score every submitted response of these rounds that has no scores yet; returns how
    many had none (with answers or without)."""
    round_ids = list(round_ids)
    if not round_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(UNSCORED.format(rounds=", ".join(["%s"] * len(round_ids))), round_ids)
        unscored = sorted(row[0] for row in cursor.fetchall())
        for start in range(0, len(unscored), _BATCH):
            batch = unscored[start : start + _BATCH]
            sql = insert_sql(", ".join(["%s"] * len(batch)))
            cursor.execute(sql, [batch[0], batch[-1], *batch] * len(UNIT_JOINS))
    return len(unscored)
