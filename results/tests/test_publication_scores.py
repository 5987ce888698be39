"""Publication reads each respondent's scores per unit (``assessments.ResponseScore``), written
at the submit; its cross cells are, to the last bit, those of the aggregation over every answer
that it replaced (kept here as the reference)."""

import importlib
import random
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from assessments.models import Answer, Response, ResponseScore
from assessments.questionnaire import visible_items
from assessments.scores import score_unscored
from frameworks.models import UnitKind
from results.disclosure import KEY_MODULUS
from results.publication import cross_cells, rated_respondents
from results.statistics import Sums

from .factories import link, make_round

pytestmark = pytest.mark.django_db

# The aggregation over answers that publication ran before scores were kept (per unit kind).
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
_OVER_ANSWERS = """
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


def cells_over_answers(round_ids) -> dict:
    cells = {}
    with connection.cursor() as cursor:
        for kind, (join, unit) in _UNIT_JOINS.items():
            sql = _OVER_ANSWERS.format(
                unit=unit,
                join=join,
                counts=_COUNTS,
                sum_counts=_SUM_COUNTS,
                placeholders=", ".join(["%s"] * len(round_ids)),
            )
            cursor.execute(sql, list(round_ids))
            for round_id, unit_id, group_id, gender, n, total, squares, *c in cursor.fetchall():
                cells.setdefault((round_id, kind, unit_id), {})[(group_id, gender)] = Sums(
                    n, n, float(total), float(squares), tuple(int(x) for x in c[:5]), int(c[5]),
                    int(c[6]) % KEY_MODULUS,
                )  # fmt: skip
    return cells


def random_responses(round_, rng, count=60):
    """Submitted responses with random ratings, "don't know", skipped items and genders,
    straight into the database (not through ``submit``: they have no scores yet)."""
    genders = ["woman", "man", "other", "undisclosed", ""]
    for key in ("politician", "official", "key_person"):
        target = link(round_, key)
        items = list(visible_items(target))
        for _ in range(count // 3):
            response = Response.objects.create(
                link=target,
                round=round_,
                gender=rng.choice(genders),
                submitted_on=round_.opens_on,
                secret=None,
                record_key=rng.getrandbits(32),
            )
            Answer.objects.bulk_create(
                Answer(response=response, item=item, value=rng.choice([None, 1, 2, 3, 4, 5, 5]))
                for item in items
                if rng.random() < 0.8
            )
    # One who answered only "don't know", and one who answered nothing.
    for values in ([None], []):
        response = Response.objects.create(
            link=target, round=round_, gender="man", submitted_on=round_.opens_on, secret=None
        )
        Answer.objects.bulk_create(
            Answer(response=response, item=item, value=v)
            for item, v in zip(items, values, strict=False)
        )


def test_cross_cells_from_scores_are_those_over_the_answers_to_the_last_bit(org_a, org_b, version):
    rng = random.Random(20261206)
    rounds = [make_round(org, version, name=f"R{org.code}") for org in (org_a, org_b)]
    for round_ in rounds:
        random_responses(round_, rng)
    ids = [r.pk for r in rounds]
    assert score_unscored(ids) == 2 * (60 + 2)
    assert score_unscored(ids) == 2  # only those without answers have no scores
    expected = cells_over_answers(ids)
    assert cross_cells(ids) == expected
    assert {kind for _r, kind, _u in expected} == set(UnitKind)
    # The answers' own count of respondents with a rating: all but the two.
    assert rated_respondents(ids) == {ids[0]: 60, ids[1]: 60}


def test_submit_stores_the_scores_of_the_response(client, politician_link):
    from assessments.tests.helpers import answer_everything, begin

    response = begin(client, politician_link)
    answer_everything(client, politician_link, value="4")
    scores = ResponseScore.objects.filter(response=response)
    items = visible_items(politician_link)
    goals = {item.goal_id for item in items}
    assert {s.unit_id for s in scores if s.unit_kind == UnitKind.GOAL} == goals
    for score in scores:
        assert score.value_sum == 4 * score.rated and score.count_4 == score.rated
        assert (score.round_id, score.target_group_id, score.gender) == (
            politician_link.round_id,
            politician_link.target_group_id,
            "woman",
        )
    assert sum(s.rated for s in scores if s.unit_kind == UnitKind.GOAL) == items.count()
    assert score_unscored([politician_link.round_id]) == 0


def test_a_deleted_response_takes_its_scores_with_it(org_a, version):
    round_ = make_round(org_a, version)
    random_responses(round_, random.Random(1), count=3)
    score_unscored([round_.pk])
    response = Response.objects.filter(scores__isnull=False).first()
    response.delete()
    assert not ResponseScore.objects.filter(response_id=response.pk).exists()
    assert ResponseScore.objects.exists()


def test_the_migration_scores_what_was_submitted_before_as_publication_would(org_a, version):
    round_ = make_round(org_a, version)
    random_responses(round_, random.Random(2), count=9)
    migration = importlib.import_module("assessments.migrations.0009_score_submitted_responses")
    migration.score_submitted(apps, SimpleNamespace(connection=connection))
    columns = [f.attname for f in ResponseScore._meta.concrete_fields if not f.primary_key]
    backfilled = set(ResponseScore.objects.values_list(*columns))
    ResponseScore.objects.all().delete()
    score_unscored([round_.pk])
    assert backfilled == set(ResponseScore.objects.values_list(*columns))
    assert len(backfilled) > 9
