"""The loop per organisation on the programme overview: each step counted from the real
records, counts by county and municipality group grouped in SQL (a fixed number of queries
whatever the number of organisations), and the per-organisation page with its filter."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_org
from learning.models import WorkshopRequest
from plans import actions
from plans.models import ActionPlan, Activity, PlanGoal
from programme import loop
from registry.models import Organisation
from results.models import Publication
from results.tests.factories import make_round


def published(org, version, kind="baseline"):
    """A published round with enough respondents: a baseline a year ago, or a follow-up that
    opened ten days ago (after the baseline closed)."""
    from assessments.models import Round

    round_ = make_round(org, version, kind=kind, days_ago=400 if kind == "baseline" else 10)
    if kind == "baseline":
        Round.objects.filter(pk=round_.pk).update(
            closes_on=timezone.localdate() - timedelta(days=370)
        )
    Publication.objects.create(round=round_, published_on=timezone.localdate(), respondents=5)
    return round_


def workshop(org, status=WorkshopRequest.Status.HELD):
    return WorkshopRequest.objects.create(
        organisation=org,
        format="half_day",
        status=status,
        wished_date_1=timezone.localdate() - timedelta(days=30),
    )


def plan_with_activity(org, status):
    plan = ActionPlan.objects.create(organisation=org)
    goal = PlanGoal.objects.create(plan=plan, goal_key="ledning-1", goal_name="Ledning")
    activity = actions.add_activity(
        goal, None, what="Strategi", responsible="IT-chef", due_on=timezone.localdate()
    )
    if status != Activity.Status.PLANNED:
        actions.change_status(activity, status, None)
    return plan


@pytest.fixture
def programme(version):
    """Five organisations at every step of the loop, in two counties and groups."""
    nothing = make_org("0101", "Ingenstans", county_code="01", county_name="Stockholms län")
    assessed = make_org("0102", "Bedömd", county_code="01", county_name="Stockholms län")
    published(assessed, version)
    workshopped = make_org("1201", "Verkstad", kg="A1")
    published(workshopped, version)
    workshop(workshopped)
    planned = make_org("1202", "Planerad", kg="A1")
    published(planned, version)
    workshop(planned, WorkshopRequest.Status.EVALUATED)
    plan_with_activity(planned, Activity.Status.UNDER_WAY)
    closed = make_org("1203", "Sluten", kg="A1")
    published(closed, version)
    workshop(closed)
    plan_with_activity(closed, Activity.Status.DONE)
    published(closed, version, kind="follow_up")
    region = make_org("1200", "Region Skåne", kind="region")
    workshop(region, WorkshopRequest.Status.CANCELLED)  # cancelled: not held
    make_round(region, version)  # not published: not assessed
    return {"nothing": nothing, "closed": closed, "region": region}


def test_every_step_is_counted_from_the_records(programme):
    counts = loop.national_counts()
    assert counts.total == 6
    assert counts.counts == {"assessed": 4, "workshop": 3, "plan": 2, "done": 1, "followed_up": 1}


def test_counts_by_county_and_by_municipality_group(programme):
    counties = {row.code: (row.label, row.total, row.counts) for row in loop.by_county()}
    assert counties["01"] == (
        "Stockholms län",
        2,
        {"assessed": 1, "workshop": 0, "plan": 0, "done": 0, "followed_up": 0},
    )
    assert counties["12"][1:] == (
        4,
        {"assessed": 3, "workshop": 3, "plan": 2, "done": 1, "followed_up": 1},
    )
    groups = {row.code: (row.total, row.counts["plan"]) for row in loop.by_kommungrupp()}
    assert groups == {"": (1, 0), "A1": (3, 2), "B3": (2, 0)}


def test_each_organisation_says_where_its_loop_stops(programme):
    rows = {row.organisation.code: row for row in loop.organisations()}
    assert str(rows["0101"].breaks_at) == str(loop.STAGES[0][1])  # not assessed
    assert str(rows["1201"].breaks_at) == str(loop.STAGES[2][1])  # no plan yet
    assert rows["1203"].breaks_at is None


def test_the_overview_shows_the_loop_in_a_fixed_number_of_queries(
    programme, staff_client, django_assert_max_num_queries, version
):
    staff_client.get(reverse("programme:overview"))  # warm the session and caches
    with django_assert_max_num_queries(30) as before:
        staff_client.get(reverse("programme:overview"))
    for i in range(10):  # ten more organisations, each with every step
        org = make_org(f"2{i:03d}", f"Kommun {i}", county_code="20", county_name="Dalarnas län")
        published(org, version)
        workshop(org)
        plan_with_activity(org, Activity.Status.DONE)
    with django_assert_max_num_queries(len(before)) as after:
        response = staff_client.get(reverse("programme:overview"))
    assert len(after) == len(before)
    page = response.content.decode()
    assert 'id="loop-counties"' in page and "Dalarnas län" in page


def test_the_organisation_page_filters_by_county_and_group(programme, staff_client):
    page = staff_client.get(reverse("programme:loop"), {"county": "01"}).content.decode()
    assert "Ingenstans" in page and "Sluten" not in page
    page = staff_client.get(reverse("programme:loop"), {"group": "A1"}).content.decode()
    assert "Sluten" in page and "Ingenstans" not in page


def test_an_unknown_county_is_a_400_with_a_message(programme, staff_client):
    response = staff_client.get(reverse("programme:loop"), {"county": "99"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


def test_the_organisation_page_reads_its_rows_in_one_query_whatever_their_number(
    programme, staff_client, django_assert_max_num_queries, version
):
    staff_client.get(reverse("programme:loop"))
    with django_assert_max_num_queries(12) as before:
        staff_client.get(reverse("programme:loop"))
    for i in range(10):
        published(make_org(f"2{i:03d}", f"Kommun {i}", county_code="20"), version)
    with django_assert_max_num_queries(len(before)) as after:
        staff_client.get(reverse("programme:loop"), {"stage": "assessed"})
    rows = [q["sql"] for q in after.captured_queries if 'AS "followed_up"' in q["sql"]]
    assert len(rows) == 1  # the page's rows with their steps; the count reads no steps


def test_the_organisation_page_filters_by_the_step_reached_as_the_overview_counts(
    programme, staff_client
):
    national = loop.national_counts().counts
    for key, _label in loop.STAGES:
        response = staff_client.get(reverse("programme:loop"), {"stage": key})
        assert response.context["page"].paginator.count == national[key]
    county = {row.code: row for row in loop.by_county()}["12"]
    response = staff_client.get(reverse("programme:loop"), {"county": "12", "stage": "plan"})
    names = [row.organisation.name for row in response.context["rows"]]
    assert names == ["Planerad", "Sluten"] and len(names) == county.counts["plan"]


def test_the_organisation_page_names_the_municipality_group(programme, staff_client):
    Organisation.objects.filter(kommungrupp="A1").update(kommungrupp_name="Storstäder")
    page = staff_client.get(reverse("programme:loop"), {"group": "A1"}).content.decode()
    assert "<h1>" in page and ": Storstäder</h1>" in page.replace("\n", "")


def test_the_organisation_list_is_paged_and_the_pager_keeps_the_filters(
    programme, staff_client, settings, monkeypatch
):
    monkeypatch.setattr("programme.views.LOOP_PAGE_SIZE", 2)
    first = staff_client.get(reverse("programme:loop"), {"county": "12", "stage": "assessed"})
    assert [row.organisation.code for row in first.context["rows"]] == ["1201", "1202"]
    page = first.content.decode()
    assert 'href="?county=12&amp;stage=assessed&amp;page=2"' in page
    second = staff_client.get(
        reverse("programme:loop"), {"county": "12", "stage": "assessed", "page": 2}
    )
    assert [row.organisation.code for row in second.context["rows"]] == ["1203"]
    bad = staff_client.get(reverse("programme:loop"), {"page": 9})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


def test_an_unknown_step_is_a_400_with_a_message(programme, staff_client):
    response = staff_client.get(reverse("programme:loop"), {"stage": "moon"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("persona", ["client_a", "client"])
def test_the_loop_pages_are_for_staff_only(persona, request, db):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("programme:loop")).status_code in (302, 403)
