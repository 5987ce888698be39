"""The plan page and the programme-effect page in a real Chromium, axe-checked, on a phone
and on a desktop: the coordinator adds an activity and moves its status; staff read the
effect."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from core.tests.browser import LANGUAGES, assert_accessible, assert_fits_the_screen, log_in
from frameworks.models import Goal
from learning.models import RequestedGoal, WorkshopRequest
from learning.tests.factories import make_module
from plans import actions
from plans.models import Activity


@pytest.fixture
def plan(transactional_db, org_a, version, coordinator_a):
    goal = Goal.objects.filter(area__version=version).first()
    make_module("styrning", [goal.key])
    workshop = WorkshopRequest.objects.create(
        organisation=org_a,
        format=WorkshopRequest.Format.HALF_DAY,
        status=WorkshopRequest.Status.HELD,
        wished_date_1=timezone.localdate() - timedelta(days=1),
    )
    RequestedGoal.objects.create(
        request=workshop, goal_key=goal.key, goal_name=goal.name_sv, reasons="Medel 2,1"
    )
    return actions.plan_from_workshop(workshop, coordinator_a)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_coordinator_keeps_the_plan_up_to_date(
    live_server, new_context, coordinator_a, plan, viewport, language
):
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, coordinator_a.username)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    goal = plan.goals.get()
    # The goal in the page's language (the plan keeps the Swedish name it was made with).
    with translation.override(language):
        name = Goal.objects.get(key=goal.goal_key).name
    expect(page.locator(f"#goal-{goal.pk}")).to_have_text(name)
    page.fill(f"#id_g{goal.pk}-target", "3,5" if language == "sv" else "3.5")
    page.locator(".target-form button").click()
    expect(page.locator("#history li")).to_have_count(2)
    page.fill("#id_what", "Ta fram en digital strategi")
    page.fill("#id_responsible", "Digitaliseringschef")
    page.fill("#id_due_on", (timezone.localdate() + timedelta(days=90)).isoformat())
    page.locator("#add-activity button[type=submit]").click()
    expect(page.locator(".status-form")).to_have_count(1)
    activity = Activity.objects.get()
    page.select_option(f"#status-{activity.pk}", "under_way")
    page.locator(".status-form button").click()
    expect(page.locator("#history li")).to_have_count(4)
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
    activity.refresh_from_db()
    goal.refresh_from_db()
    assert (activity.status, str(goal.target)) == ("under_way", "3.5")


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_effect_page(live_server, new_context, staff_user, plan, viewport, language):
    page = new_context(viewport).new_page()
    log_in(page, live_server.url, staff_user.username)
    page.goto(f"{live_server.url}/programme/effect/")
    expect(page.locator("#too-few")).to_be_visible()
    assert_accessible(page)
    if viewport == "phone":
        assert_fits_the_screen(page)
