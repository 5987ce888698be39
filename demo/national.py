"""A simulated national self-assessment for the demo: two closed, published waves (a baseline
a year ago and a follow-up two months ago) across all 311 organisations, with realistic,
uneven response counts.

Deterministic (seeded). Each organisation has a latent maturity per goal area that improves a
little between waves; politicians rate a little higher than officials (a perception gap).
Answers are written with bulk inserts in batches; the closed rounds are then published, as
the daily ``publish_results`` job would.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, Response, Round
from assessments.questionnaire import visible_items
from assessments.rounds import create_round
from registry.models import Organisation
from results.publication import publish_due

WAVES = [
    ("Nationell nollmätning 2025", Round.Kind.BASELINE, -400, -340),
    ("Nationell uppföljning 2026", Round.Kind.FOLLOW_UP, -75, -15),
]
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
def load_national_demo(version, seed: int = 2026) -> int:
    """Create the two waves unless they exist; returns how many responses were made."""
    if Round.objects.filter(name=WAVES[0][0]).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    items_by_group, area_of = {}, {}
    created = 0
    organisations = list(Organisation.objects.order_by("code"))
    latent = {
        org.pk: {area.pk: rng.uniform(1.8, 3.6) for area in version.goal_areas.all()}
        for org in organisations
    }
    own_rounds = set(
        Round.objects.filter(version=version).values_list("organisation_id", flat=True)
    )
    for wave, (name, kind, start, end) in enumerate(WAVES):
        answers = []
        for org in organisations:
            if wave and org.pk in own_rounds:
                continue  # the organisation runs its own follow-up (the demo's open round)
            round_ = create_round(
                organisation=org,
                user=None,
                name=name,
                kind=kind,
                version=version,
                opens_on=today + timedelta(days=start),
                closes_on=today + timedelta(days=end),
            )
            total = _respondent_count(rng, org)
            for link in round_.links.select_related("target_group"):
                key = link.target_group.key
                if key not in items_by_group:
                    items = list(visible_items(link).select_related("goal"))
                    items_by_group[key] = [item.pk for item in items]
                    area_of.update({item.pk: item.goal.area_id for item in items})
                responses = Response.objects.bulk_create(
                    Response(
                        link=link,
                        round=round_,
                        gender=rng.choice(GENDERS),
                        submitted_on=today + timedelta(days=start + rng.randint(0, end - start)),
                        secret=None,
                    )
                    for _ in range(round(total * GROUP_SHARE[key]))
                )
                created += len(responses)
                bias = 0.4 * wave + GROUP_BIAS[key]
                for response in responses:
                    for item_id in items_by_group[key]:
                        level = latent[org.pk][area_of[item_id]] + bias
                        answers.append(
                            Answer(response=response, item_id=item_id, value=_value(rng, level))
                        )
            if len(answers) > 20000:
                Answer.objects.bulk_create(answers, batch_size=2000)
                answers = []
        Answer.objects.bulk_create(answers, batch_size=2000)
    publish_due(today)
    return created
