"""Building submitted responses with chosen answers, straight into the database."""

import random
from datetime import timedelta

from django.utils import timezone

from assessments.models import Answer, Response, Round
from assessments.questionnaire import visible_items
from assessments.rounds import create_round
from assessments.signals import response_submitted


def submit(link, count, value=3, gender=""):
    """``count`` submitted responses on ``link``; ``value`` is a number, None (don't know), or a
    function (response index, item) -> value.

    Record keys come from a stream seeded by the organisation, round, group, gender and count,
    not from ``secrets``: a test's figures carry the same deliberate noise on every run, so a
    test passes or fails for good. (The noise's statistics are tested by simulation, in
    ``test_disclosure.py``; the product draws keys with ``secrets``.)"""
    items = list(visible_items(link))
    keys = random.Random(
        f"{link.round.organisation.code}:{link.round.name}:{link.target_group.key}:{gender}:{count}"
    )
    responses = Response.objects.bulk_create(
        Response(
            link=link,
            round=link.round,
            gender=gender,
            submitted_on=timezone.localdate(),
            secret=None,
            record_key=keys.getrandbits(32),
        )
        for _ in range(count)
    )
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=value(i, item) if callable(value) else value)
        for i, response in enumerate(responses)
        for item in items
    )
    response_submitted.send(sender=Response, round_id=link.round_id)
    return responses


def make_round(org, version, name="Omgång", days_ago=1, **extra):
    today = timezone.localdate()
    return create_round(
        organisation=org,
        user=None,
        name=name,
        kind=extra.pop("kind", Round.Kind.BASELINE),
        version=version,
        opens_on=today - timedelta(days=days_ago),
        closes_on=today + timedelta(days=30),
        **extra,
    )


def link(round_, key):
    return round_.links.get(target_group__key=key)


def publish(round_):
    """Close the round as its coordinator would, which publishes its results."""
    from assessments.rounds import close_early

    close_early(round_)
    round_.refresh_from_db()
    return round_


def expected_figure(responses, unit, score, counts, dont_know=0):
    """The figure a cell of these ``responses`` must show, worked out here from what the test
    knows: each respondent's unit score (a number or a list, one per response), the exact
    answer counts, and the cell key as the sum of the responses' own record keys — so a test
    checks that the product derives the key from exactly the cell's respondents."""
    from results.disclosure import KEY_MODULUS
    from results.figures import Figure
    from results.statistics import Sums

    responses = list(responses)
    scores = score if isinstance(score, list) else [score] * len(responses)
    keys = [Response.objects.values_list("record_key", flat=True).get(pk=r.pk) for r in responses]
    sums = Sums(
        len(responses),
        len(responses),
        float(sum(scores)),
        float(sum(s * s for s in scores)),
        tuple(counts),
        dont_know,
        sum(keys) % KEY_MODULUS,
    )
    return Figure.of(sums, unit)
