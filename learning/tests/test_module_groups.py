"""Workshop modules are offered under the goals they serve, the proposal's goals first, and
the agenda keeps the order the coordinator saw: on the proposal, in the stored request, on
the workshop's page and in the mail to the programme office."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from frameworks.models import Goal
from learning.models import WorkshopModule, WorkshopRequest
from learning.proposals import in_offered_order
from learning.workshops import notify_office

from .factories import make_module
from .test_workshop_requests import propose_url, request_data

pytestmark = pytest.mark.django_db


def legends(page: str) -> list[str]:
    return re.findall(r'<fieldset class="module-group"><legend>([^<]*)</legend>', page)


def test_modules_are_offered_under_their_goals_the_proposals_first(client_a, answered):
    response = client_a.get(propose_url(answered))
    proposal = response.context["proposal"]
    picked = [pick.goal for pick in proposal.picks]
    groups = proposal.groups
    assert picked and [group.goal for group in groups[: len(picked)]] == picked
    assert all(group.chosen for group in groups[: len(picked)])
    others = [group.goal for group in groups[len(picked) :]]
    assert not any(group.chosen for group in groups[len(picked) :])
    # the other goals in the framework's order, and every module offered exactly once
    framework = Goal.objects.filter(area__version=answered.version)
    assert others == [goal for goal in framework if goal not in picked]
    offered = [module.pk for group in groups for module in group.modules]
    assert sorted(offered) == sorted(WorkshopModule.objects.values_list("pk", flat=True))
    # each proposed module is ticked, first under its goal
    for module in proposal.modules:
        home = next(group for group in groups if module in group.modules)
        assert home.modules[0] == module
    page = response.content.decode()
    assert legends(page)[: len(picked)] == [f"{goal.name} – ett mål i förslaget" for goal in picked]
    assert legends(page)[len(picked) :] == [goal.name for goal in others]


def test_a_module_for_none_of_the_goals_is_offered_last(client_a, answered):
    make_module("a-fristaende", ["no-such-goal"])
    groups = client_a.get(propose_url(answered)).context["proposal"].groups
    assert groups[-1].goal is None
    assert [m.key for m in groups[-1].modules] == ["a-fristaende"]


def test_the_agenda_keeps_the_order_the_coordinator_saw_everywhere(client_a, staff_user, answered):
    proposal = client_a.get(propose_url(answered)).context["proposal"]
    last_group = proposal.groups[-1]
    # Sorts first by title, but is offered under the last goal: the old alphabetical list
    # and the order the coordinator saw differ.
    extra = make_module("a-extra", [last_group.goal.key], minutes=15)
    chosen = [*proposal.modules[:2], extra]
    response = client_a.post(propose_url(answered), request_data(list(reversed(chosen))))
    assert response.status_code == 302
    shown = client_a.get(propose_url(answered)).context["proposal"].groups
    expected = [m.title for m in in_offered_order(chosen, shown)]
    assert expected[-1] == extra.title  # after the modules of the proposal's goals

    workshop = WorkshopRequest.objects.get()
    assert [row.module.title for row in workshop.modules.all()] == expected
    detail = client_a.get(reverse("learning:workshop_detail", args=[workshop.pk]))
    on_page = [slot.module.title for slot in detail.context["agenda"] if slot.module]
    assert on_page == expected
    page = detail.content.decode()
    assert [page.index(title) for title in expected] == sorted(page.index(t) for t in expected)

    assert notify_office(workshop) == 1
    body = mail.outbox[-1].body
    assert [body.index(title) for title in expected] == sorted(body.index(t) for t in expected)
    assert "09:00–09:15" in body  # the agenda with its times, as the coordinator saw it
