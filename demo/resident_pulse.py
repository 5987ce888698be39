"""Simulated resident pulses for the demo: about one organisation in four ran one around the
national follow-up (``demo.timeline``), closed and published as the daily ``publish_pulses``
job would.

Residents are drawn so that the nation comes out near the seeds' citizens' figures
(``../shared/data/strategy.yaml``: seven in ten positive to digitalisation, two in ten who think
their municipality or region lives up to their expectations): each statement's chance of
agreement (4 or 5) is its topic's national level plus the organisation's own offset. Answers are
written in bulk; every figure is then computed by the pulse's publication.

Deterministic: one seeded generator, none of it depending on the load day.
"""

import random
from datetime import timedelta

from django.db import transaction

from demo.national import insert_rows
from pulse.loading import current_version
from pulse.models import Pulse, PulseAnswer, PulseResponse
from pulse.publication import publish_due

# The national chance that a resident agrees (4 or 5), per topic of the questionnaire.
AGREE = {
    "attitude": 0.70,  # the seeds: 7 in 10 positive to digitalisation
    "lives_up": 0.20,  # the seeds: 2 in 10 think it lives up to their expectations
    "use": 0.55,
    "ease": 0.40,
    "trust": 0.55,
    "left_outside": 0.22,
}
ORG_SPREAD = 0.06  # sd of an organisation's offset from the national chance
DONT_KNOW = 0.05
SHARE_RUNNING = 0.25  # organisations that ran a pulse
ALWAYS = {"1287"}  # Trelleborg, whose coordinator logs in to the demo
AGE_WEIGHTS = [
    ("16-29", 0.17),
    ("30-44", 0.24),
    ("45-64", 0.31),
    ("65-79", 0.20),
    ("80+", 0.05),
    ("", 0.03),
]
GENDER_WEIGHTS = [
    ("woman", 0.52),
    ("man", 0.44),
    ("other", 0.01),
    ("undisclosed", 0.01),
    ("", 0.02),
]


def _residents(rng: random.Random, organisation) -> int:
    if organisation.kind == "region":
        return rng.randint(120, 260)
    if organisation.kommungrupp == "A1":
        return rng.randint(150, 260)
    return rng.randint(12, 110)


def _value(rng: random.Random, chance: float) -> int | None:
    if rng.random() < DONT_KNOW:
        return None
    if rng.random() < chance:
        return 5 if rng.random() < 0.4 else 4
    return rng.choices((1, 2, 3), weights=(2, 3, 4))[0]


def _pick(rng: random.Random, weights):
    return rng.choices([v for v, _ in weights], weights=[w for _, w in weights])[0]


@transaction.atomic
def load_pulse_demo(tl, organisations, share: float = SHARE_RUNNING, seed: int = 27) -> int:
    """Pulses for about ``share`` of ``organisations`` (and always Trelleborg), open during the
    national follow-up and closed with it, then published. Returns the number of residents."""
    if Pulse.objects.filter(opens_on=tl.follow_up_opens, closes_on=tl.follow_up_closes).exists():
        return 0  # loaded before
    rng = random.Random(seed)
    version = current_version()
    days = (tl.follow_up_closes - tl.follow_up_opens).days
    statements = [(s.pk, s.topic) for s in version.statements.all()]
    made, answers = 0, []
    for organisation in sorted(organisations, key=lambda o: o.code):
        runs = rng.random() < share or organisation.code in ALWAYS
        offsets = {topic: rng.gauss(0, ORG_SPREAD) for topic in AGREE}
        size = _residents(rng, organisation)
        if not runs:
            continue
        pulse = Pulse.objects.create(
            organisation=organisation,
            version=version,
            opens_on=tl.follow_up_opens,
            closes_on=tl.follow_up_closes,
        )
        responses = PulseResponse.objects.bulk_create(
            PulseResponse(
                pulse=pulse,
                age_band=_pick(rng, AGE_WEIGHTS),
                gender=_pick(rng, GENDER_WEIGHTS),
                # One draw whatever the round's length (randint's draws depend on its range):
                # the demo comes out the same on every day it is loaded.
                submitted_on=tl.follow_up_opens + timedelta(days=int(rng.random() * (days + 1))),
            )
            for _ in range(size)
        )
        answers.extend(
            (
                response.pk,
                statement_id,
                _value(rng, min(0.95, max(0.02, AGREE[topic] + offsets[topic]))),
            )
            for response in responses
            for statement_id, topic in statements
        )
        made += size
    insert_rows(PulseAnswer._meta.db_table, ("response_id", "statement_id", "value"), answers)
    publish_due()
    return made
