"""A simulated national self-assessment for the demo, on the programme's own timeline: two
closed, published waves (the baseline in the autumn of 2019, the follow-up in the autumn of
2020) across all 311 organisations, with realistic, uneven response counts.

Deterministic (seeded). Each organisation has a latent maturity per goal area that improves a
little between waves, and a little more on the goals it worked on in a workshop (``worked``);
politicians rate a little higher than officials (a perception gap).
Answers are written with bulk inserts in batches; the closed rounds are then published, as
the daily ``publish_results`` job would.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, Response, Round
from assessments.questionnaire import visible_items
from assessments.rounds import create_round
from registry.models import Organisation
from results.publication import publish_due

WAVES = [
    ("Nationell nollmätning 2019", Round.Kind.BASELINE, date(2019, 9, 2), date(2019, 10, 11)),
    ("Nationell uppföljning 2020", Round.Kind.FOLLOW_UP, date(2020, 9, 7), date(2020, 10, 16)),
]
WORKED_BONUS = 0.35  # extra improvement on a goal worked on in a workshop
GROUP_BIAS = {"politician": 0.35, "official": -0.1, "key_person": 0.0}
GROUP_SHARE = {"politician": 0.3, "official": 0.45, "key_person": 0.25}
GENDERS = ["woman", "woman", "man", "man", "other", "undisclosed", ""]


def _respondent_count(rng: random.Random, org: Organisation) -> int:
    """Uneven participation: some organisations do not take part, some only a few answer."""
    if rng.random() < 0.12:
        return 0
    if rng.random() < 0.1:
        return rng.randint(1, 4)
    base = 14 if org.kind == Organisation.Kind.REGION else 6
    big = 1.6 if org.kommungrupp in ("A1", "B3") else 1.0
    return max(5, int(rng.lognormvariate(0, 0.5) * base * big))


def _value(rng: random.Random, latent: float) -> int | None:
    if rng.random() < 0.07:
        return None
    return min(5, max(1, round(rng.gauss(latent, 0.9))))


@transaction.atomic
def load_national_demo(version, worked=None, seed: int = 2026) -> int:
    """Create the two waves unless they exist; returns how many responses were made.
    ``worked``: {organisation id: goal keys it worked on before the follow-up}."""
    if Round.objects.filter(name=WAVES[0][0]).exists():
        return 0
    worked = worked or {}
    rng = random.Random(seed)
    items_by_group, area_of, goal_of = {}, {}, {}
    created = 0
    organisations = list(Organisation.objects.order_by("code"))
    latent = {
        org.pk: {area.pk: rng.uniform(1.8, 3.6) for area in version.goal_areas.all()}
        for org in organisations
    }
    for wave, (name, kind, opens_on, closes_on) in enumerate(WAVES):
        answers = []
        days = (closes_on - opens_on).days
        for org in organisations:
            round_ = create_round(
                organisation=org,
                user=None,
                name=name,
                kind=kind,
                version=version,
                opens_on=opens_on,
                closes_on=closes_on,
            )
            total = _respondent_count(rng, org)
            for link in round_.links.select_related("target_group"):
                key = link.target_group.key
                if key not in items_by_group:
                    items = list(visible_items(link).select_related("goal"))
                    items_by_group[key] = [item.pk for item in items]
                    area_of.update({item.pk: item.goal.area_id for item in items})
                    goal_of.update({item.pk: item.goal.key for item in items})
                responses = Response.objects.bulk_create(
                    Response(
                        link=link,
                        round=round_,
                        gender=rng.choice(GENDERS),
                        submitted_on=opens_on + timedelta(days=rng.randint(0, days)),
                        secret=None,
                    )
                    for _ in range(round(total * GROUP_SHARE[key]))
                )
                created += len(responses)
                bias = 0.4 * wave + GROUP_BIAS[key]
                goals_worked = worked.get(org.pk, set()) if wave else set()
                for response in responses:
                    for item_id in items_by_group[key]:
                        level = latent[org.pk][area_of[item_id]] + bias
                        if goal_of[item_id] in goals_worked:
                            level += WORKED_BONUS
                        answers.append(
                            Answer(response=response, item_id=item_id, value=_value(rng, level))
                        )
            if len(answers) > 20000:
                Answer.objects.bulk_create(answers, batch_size=2000)
                answers = []
        Answer.objects.bulk_create(answers, batch_size=2000)
    publish_due(timezone.localdate())
    return created
