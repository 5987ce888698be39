"""Trelleborg's own story, as its coordinator (``samordnare.trelleborg``) sees it: the national
baseline and follow-up with their responses (``demo.population``), the workshop it held and
the action plan it made between them (``demo.workshops``, ``demo.plans``), a workshop it has
requested from the follow-up's proposal, and its own round open now, with 18 responses so far
(counts only while it is open)."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.models import Answer, Response, Round
from assessments.questionnaire import visible_items
from assessments.rounds import create_round
from learning.models import (
    RequestedGoal,
    RequestedModule,
    StatusChange,
    WorkshopRequest,
)
from learning.proposals import propose
from registry.models import Organisation
from results.figures import round_results

from .national import wave_names
from .population import GAP_ORGANISATION, TRELLEBORG_INVITED, Member
from .timeline import weekday_on_or_after, workday_on_or_after
from .workshops import at

OPEN_ROUND_ANSWERED = {"politician": 8, "official": 7, "key_person": 3}  # 18 so far
OPEN_ROUND_NAME = "Demo {year}"


def open_round_name(tl) -> str:
    return OPEN_ROUND_NAME.format(year=tl.today.year)


@transaction.atomic
def load_open_round(version, tl, member: Member) -> Round | None:
    """The round open now (opened a week ago), with 18 submitted responses so far."""
    organisation = Organisation.objects.get(code=GAP_ORGANISATION)
    name = open_round_name(tl)
    if Round.objects.filter(organisation=organisation, name=name).exists():
        return None
    round_ = create_round(
        organisation=organisation,
        user=None,
        name=name,
        kind=Round.Kind.FOLLOW_UP,
        version=version,
        opens_on=tl.open_round_opens,
        closes_on=tl.open_round_closes,
    )
    rng = random.Random(2026)
    days = (tl.today - tl.open_round_opens).days
    for link in round_.links.select_related("target_group"):
        group = link.target_group.key
        link.invited_count = TRELLEBORG_INVITED[group]
        # The seeded answers came through the shared link: each took one of its places.
        link.shared_begins = OPEN_ROUND_ANSWERED[group]
        link.save(update_fields=["invited_count", "shared_begins"])
        items = [(item.pk, item.goal.key) for item in visible_items(link)]
        for _n in range(OPEN_ROUND_ANSWERED[group]):
            submitted = tl.open_round_opens + timedelta(days=rng.randint(0, days))
            response = Response.objects.create(
                link=link,
                round=round_,
                gender=rng.choice(["woman", "man", "woman", "man", "undisclosed"]),
                started_on=submitted,
                submitted_on=submitted,
                secret=None,  # a submitted response keeps no key to a device
            )
            leniency = rng.gauss(0, 0.3)
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    item_id=item,
                    value=None
                    if rng.random() < 0.05
                    else min(
                        5,
                        max(1, round(rng.gauss(member.level(1, group, goal) + leniency, 0.75))),
                    ),
                )
                for item, goal in items
            )
    return round_


@transaction.atomic
def load_requested_workshop(tl) -> WorkshopRequest | None:
    """A half-day workshop requested from the published follow-up's own proposal."""
    follow_up = Round.objects.filter(
        organisation__code=GAP_ORGANISATION,
        name=wave_names(tl)[1],
        publication__isnull=False,
    ).first()
    if follow_up is None or follow_up.workshops.exists():
        return None
    proposal = propose(round_results(follow_up))
    if not proposal.picks:
        return None
    coordinator = get_user_model().objects.filter(username="samordnare.trelleborg").first()
    sent = weekday_on_or_after(tl.follow_up_closes + timedelta(days=20))
    wished = workday_on_or_after(tl.today + timedelta(days=35))
    workshop = WorkshopRequest.objects.create(
        organisation=follow_up.organisation,
        round=follow_up,
        format=WorkshopRequest.Format.HALF_DAY,
        wished_date_1=wished,
        wished_date_2=workday_on_or_after(wished + timedelta(days=7)),
        expected_politicians=8,
        expected_officials=7,
        expected_key_persons=3,
        message="Vi vill arbeta vidare med målen där uppföljningen visar störst behov.",
        created_by=coordinator,
    )
    WorkshopRequest.objects.filter(pk=workshop.pk).update(created_at=at(sent, 10))
    RequestedModule.objects.bulk_create(
        RequestedModule(request=workshop, module=module, order=index)
        for index, module in enumerate(proposal.modules)
    )
    RequestedGoal.objects.bulk_create(
        RequestedGoal(
            request=workshop,
            goal_key=pick.goal.key,
            goal_name=pick.goal.name_sv,
            reasons="\n".join(reason.text for reason in pick.reasons),
        )
        for pick in proposal.picks
    )
    change = StatusChange.objects.create(
        request=workshop, to_status=WorkshopRequest.Status.REQUESTED, by=coordinator
    )
    StatusChange.objects.filter(pk=change.pk).update(at=at(sent, 10))
    return workshop
