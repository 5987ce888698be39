"""Query-count baselines for the pages that list or aggregate rows: each page is requested with
a few rows and again after more rows of what it lists are added, and the number of SQL queries
stays the same (no N+1). Pages already guarded elsewhere (results, national dashboard,
selection, report: results/tests/test_query_counts.py; loop: programme/tests/test_loop.py;
effect: plans/tests/test_effect.py) are not repeated here."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.tokens import create_token
from conftest import make_org
from frameworks.models import Goal
from invitations.models import Invitation
from learning.models import WorkshopRequest
from learning.tests.factories import make_case
from plans import actions
from plans.models import ActionPlan, PlanGoal
from programme import audit
from programme.models import Activity, Consultation, Cost, Partner
from results.tests.factories import link, make_round, submit
from webinars.models import Registration
from webinars.tests.factories import make_session

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured), response.content.decode()


def assert_flat(client, url, add_more, shown=None):
    """The page costs as many queries after ``add_more()`` as before it (and, when ``shown``
    is given, the page then shows that text of a row added, so the rows were really listed)."""
    queries(client, url)  # warm the session and caches
    few, _ = queries(client, url)
    add_more()
    many, page = queries(client, url)
    assert many == few
    if shown is not None:
        assert shown in page


def workshops(org, count, start=0):
    for i in range(start, start + count):
        WorkshopRequest.objects.create(
            organisation=org,
            format="half_day",
            # one open request per organisation; the others held
            status=WorkshopRequest.Status.REQUESTED if i == 0 else WorkshopRequest.Status.HELD,
            wished_date_1=timezone.localdate() + timedelta(days=10 + i),
        )


def registrations(session, count, start=0):
    org = make_org(f"8{start:03d}", f"Anmälda {start}")
    for i in range(start, start + count):
        Registration.objects.create(
            session=session,
            name=f"Deltagare {i}",
            email=f"deltagare{i}@example.org",
            organisation=org,
            target_group="politician",
            gender="woman" if i % 2 else "man",
            status=Registration.Status.CONFIRMED,
            attended=bool(i % 2),
            attended_minutes=30 * (i % 2),
        )


def sessions(count, start=0):
    made = []
    for i in range(start, start + count):
        session = make_session(hours_ahead=48 + i, title_sv=f"Webbinarium {i}")
        registrations(session, 2, start=10 * i)
        made.append(session)
    return made


def plan(org, goals=("ledning-1",), activities=1, user=None):
    new = ActionPlan.objects.create(organisation=org)
    for key in goals:
        goal = PlanGoal.objects.create(plan=new, goal_key=key, goal_name=key)
        for i in range(activities):
            actions.add_activity(
                goal, user, what=f"Steg {i}", responsible="IT-chef", due_on=timezone.localdate()
            )
    return new


def costs(user, count, start=0):
    for i in range(start, start + count):
        cost = Cost.objects.create(
            activity=list(Activity.values)[i % len(Activity.values)],
            date=timezone.localdate() - timedelta(days=i),
            amount=Decimal(1000 + i),
            created_by=user,
        )
        audit.record(user, cost, "add", None)


def test_coordinator_round_list(client_a, org_a, version):
    make_round(org_a, version, name="Omgång 0")
    url = reverse("assessments:coordinator_home")
    assert_flat(
        client_a,
        url,
        lambda: [make_round(org_a, version, name=f"Omgång {i}", days_ago=i) for i in (2, 3, 4)],
        shown="Omgång 4",
    )


def test_round_detail_counts_per_link(client_a, open_round):
    submit(link(open_round, "official"), 2)
    url = reverse("assessments:round_detail", args=[open_round.pk])

    def more():
        submit(link(open_round, "politician"), 4)
        submit(link(open_round, "official"), 3)

    assert_flat(client_a, url, more)


def test_round_invitations(client_a, open_round):
    def invite(start, count):
        for i in range(start, start + count):
            key = "politician" if i % 2 else "official"
            Invitation.objects.create(
                link=link(open_round, key), round=open_round, email=f"person{i}@example.org"
            )

    invite(0, 2)
    url = reverse("invitations:round_invitations", args=[open_round.pk])
    assert_flat(client_a, url, lambda: invite(2, 5))


def test_workshop_list_of_the_coordinator(client_a, org_a):
    workshops(org_a, 1)
    assert_flat(client_a, reverse("learning:workshop_list"), lambda: workshops(org_a, 4, 1))


def test_workshop_list_of_the_office(staff_client, org_a, org_b):
    workshops(org_a, 1)

    def more():
        workshops(org_b, 2, 1)
        workshops(make_org("0114", "Upplands Väsby kommun", county_code="01"), 2, 3)

    assert_flat(staff_client, reverse("learning:workshop_list"), more, "Upplands Väsby kommun")


def test_library(client_a, org_a, org_b, version):
    keys = list(Goal.objects.filter(area__version=version).values_list("key", flat=True)[:3])
    make_case("fall-0", org_a, keys[:1])

    def more():
        make_case("fall-1", org_a, keys[:2], title="Ett andra exempel")
        make_case("fall-2", org_b, keys, title="Ett tredje exempel")
        make_case("fall-3", org_b, keys[1:], title="Ett fjärde exempel")

    assert_flat(client_a, reverse("learning:library"), more, shown="Ett fjärde exempel")


def test_webinar_programme(client):
    sessions(1)
    assert_flat(client, reverse("webinars:programme"), lambda: sessions(3, 1), "Webbinarium 3")


def test_office_webinar_list(staff_client):
    sessions(1)
    assert_flat(
        staff_client, reverse("webinars:office_sessions"), lambda: sessions(3, 1), "Webbinarium 3"
    )


def test_office_attendance(staff_client):
    [session] = sessions(1)
    url = reverse("webinars:office_attendance", args=[session.pk])
    assert_flat(staff_client, url, lambda: registrations(session, 5, start=100))


def test_office_webinar_reach(staff_client):
    sessions(1)
    assert_flat(staff_client, reverse("webinars:office_reach"), lambda: sessions(3, 1))


def test_plan_list_of_the_office(staff_client, org_a, org_b):
    plan(org_a)

    def more():
        plan(org_b, goals=("ledning-1", "ledning-2"))
        plan(make_org("0114", "Upplands Väsby kommun", county_code="01"))

    assert_flat(staff_client, reverse("plans:list"), more, "Upplands Väsby kommun")


def test_plan_list_of_the_coordinator(client_a, org_a):
    plan(org_a)
    assert_flat(client_a, reverse("plans:list"), lambda: [plan(org_a) for _ in range(3)])


def test_plan_page(client_a, org_a, coordinator_a):
    one = plan(org_a, user=coordinator_a)
    url = reverse("plans:detail", args=[one.pk])

    def more():
        goal = PlanGoal.objects.create(plan=one, goal_key="ledning-2", goal_name="Ledning 2")
        for i in range(4):
            actions.add_activity(
                goal,
                coordinator_a,
                what=f"Mer {i}",
                responsible="Chef",
                due_on=timezone.localdate(),
            )

    assert_flat(client_a, url, more, "Mer 3")


def test_budget(staff_client, staff_user):
    costs(staff_user, 1)
    assert_flat(staff_client, reverse("programme:budget"), lambda: costs(staff_user, 5, 1))


def test_audit_log(staff_client, staff_user):
    costs(staff_user, 1)
    assert_flat(staff_client, reverse("programme:audit"), lambda: costs(staff_user, 5, 1))


def test_programme_reach(staff_client, version):
    def organisations(start, count):
        for i in range(start, start + count):
            org = make_org(f"7{i:03d}", f"Räckvidd {i}", county_code=f"{10 + i % 3}")
            round_ = make_round(org, version, name=f"Omgång {i}")
            submit(link(round_, "politician"), 2, gender="woman")
            submit(link(round_, "official"), 1, gender="man")
        sessions(1, start=start)

    organisations(0, 1)
    assert_flat(staff_client, reverse("programme:reach"), lambda: organisations(1, 3))


def test_programme_overview(staff_client, version):
    def organisations(start, count):
        for i in range(start, start + count):
            org = make_org(f"6{i:03d}", f"Översikt {i}", county_code=f"{10 + i % 3}")
            make_round(org, version, name=f"Omgång {i}")
            workshops(org, 1, i)

    organisations(0, 1)
    assert_flat(staff_client, reverse("programme:overview"), lambda: organisations(1, 3))


def test_api_token_list(client_a, coordinator_a):
    create_token(coordinator_a, "Första")

    def more():
        for i in range(3):
            create_token(coordinator_a, f"Nyckel {i}")

    assert_flat(client_a, reverse("api:tokens"), more, "Nyckel 2")


def test_partners(staff_client):
    def partners(start, count):
        for i in range(start, start + count):
            partner = Partner.objects.create(key=f"partner-{i}", name=f"Partner {i}")
            partner.sessions.add(*sessions(1, start=100 + i))
            Consultation.objects.create(partner=partner, date=timezone.localdate(), topic="Samråd")

    partners(0, 1)
    assert_flat(staff_client, reverse("programme:partners"), lambda: partners(1, 3), "Partner 3")
