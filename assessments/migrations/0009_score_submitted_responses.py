"""Score every response submitted before scores were written at submit: the same aggregation
as ``assessments.scores`` (a frozen copy, as a migration must keep), in SQL, a batch of
response ids at a time so that no statement holds a huge transaction. Reversing it deletes
nothing (reversing 0008 drops the table)."""

from django.db import migrations

BATCH = 5000

_COUNTS = ", ".join(f"SUM(CASE WHEN a.value = {v} THEN 1 ELSE 0 END)" for v in range(1, 6))
_UNITS = (
    ("goal", "", "i.goal_id"),
    ("area", "JOIN frameworks_goal g ON g.id = i.goal_id", "g.area_id"),
    (
        "prerequisite",
        "JOIN frameworks_item_prerequisites ip ON ip.item_id = i.id",
        "ip.prerequisite_id",
    ),
)
_RESPONSES = """
SELECT r.id FROM assessments_response r
WHERE r.id >= %s AND r.id < %s AND r.submitted_on IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM assessments_responsescore s WHERE s.response_id = r.id)"""
_SQL = (
    "INSERT INTO assessments_responsescore (response_id, round_id, target_group_id, gender, "
    "record_key, unit_kind, unit_id, rated, value_sum, count_1, count_2, count_3, count_4, "
    "count_5, dont_know)"
    + "\nUNION ALL".join(
        f"""
SELECT a.response_id, r.round_id, l.target_group_id, r.gender, COALESCE(r.record_key, 0),
       '{kind}', {unit}, COUNT(a.value), COALESCE(SUM(a.value), 0), {_COUNTS},
       SUM(CASE WHEN a.value IS NULL THEN 1 ELSE 0 END)
FROM assessments_answer a
JOIN assessments_response r ON r.id = a.response_id
JOIN assessments_roundlink l ON l.id = r.link_id
JOIN frameworks_item i ON i.id = a.item_id
{join}
WHERE a.response_id >= %s AND a.response_id < %s AND a.response_id IN ({_RESPONSES})
GROUP BY a.response_id, r.round_id, l.target_group_id, r.gender, r.record_key, {unit}"""
        for kind, join, unit in _UNITS
    )
)


def score_submitted(apps, schema_editor):
    Response = apps.get_model("assessments", "Response")
    submitted = Response.objects.filter(submitted_on__isnull=False).order_by("pk")
    first = submitted.values_list("pk", flat=True).first()
    last = submitted.order_by("-pk").values_list("pk", flat=True).first()
    if first is None:
        return
    with schema_editor.connection.cursor() as cursor:
        for start in range(first, last + 1, BATCH):
            cursor.execute(_SQL, [start, start + BATCH] * 2 * len(_UNITS))
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("ANALYZE assessments_responsescore")


class Migration(migrations.Migration):
    # Each batch commits on its own: a run stopped halfway resumes where it stopped.
    atomic = False
    dependencies = [("assessments", "0008_response_scores")]

    operations = [migrations.RunPython(score_submitted, migrations.RunPython.noop)]
