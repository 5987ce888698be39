"""Action plans: made from a held workshop or from published results, changed only through
``plans.actions`` with a history, visible only to their organisation's coordinator and staff,
exported to PDF and DOCX, and followed up on the next round's results page."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, override

from frameworks.models import Goal
from learning.models import RequestedGoal, WorkshopRequest
from learning.tests.factories import make_case, make_module
from plans import actions
from plans.models import ActionPlan, Activity, PlanEvent
from results.figures import round_results
from results.tests.factories import link, make_round, publish, submit


@pytest.fixture
def held_workshop(org_a, version):
    goal = Goal.objects.filter(area__version=version).first()
    workshop = WorkshopRequest.objects.create(
        organisation=org_a,
        format=WorkshopRequest.Format.HALF_DAY,
        status=WorkshopRequest.Status.HELD,
        wished_date_1=timezone.localdate() - timedelta(days=1),
    )
    RequestedGoal.objects.create(
        request=workshop, goal_key=goal.key, goal_name=goal.name_sv, reasons="Medel 2,1"
    )
    return workshop


@pytest.fixture
def plan(held_workshop, coordinator_a):
    return actions.plan_from_workshop(held_workshop, coordinator_a)


@pytest.fixture
def activity(plan, coordinator_a):
    return actions.add_activity(
        plan.goals.get(),
        coordinator_a,
        what="Ta fram en digital strategi",
        responsible="Digitaliseringschef",
        due_on=timezone.localdate() + timedelta(days=90),
    )


def published_round(org, version, name="Baslinje", days_ago=1, kind="baseline", value=None):
    round_ = make_round(org, version, name=name, days_ago=days_ago, kind=kind)
    value = value or (lambda i, item: 1 + (item.pk + i) % 5)
    submit(link(round_, "politician"), 6, value=value)
    submit(link(round_, "official"), 6, value=value)
    return publish(round_)


def test_a_plan_from_a_workshop_takes_its_goals_with_their_reasons(plan, held_workshop):
    picked = held_workshop.goals.get()
    goal = plan.goals.get()
    assert (goal.goal_key, goal.goal_name, goal.reasons) == (
        picked.goal_key,
        picked.goal_name,
        "Medel 2,1",
    )
    assert plan.organisation_id == held_workshop.organisation_id
    assert list(plan.events.values_list("kind", flat=True)) == [PlanEvent.Kind.CREATED]


def test_making_the_workshop_plan_twice_gives_the_same_plan(client_a, plan, held_workshop):
    response = client_a.post(reverse("plans:from_workshop", args=[held_workshop.pk]))
    assert response.status_code == 302
    assert ActionPlan.objects.count() == 1


def test_a_workshop_not_yet_held_makes_no_plan(client_a, held_workshop):
    held_workshop.status = WorkshopRequest.Status.CONFIRMED
    held_workshop.save()
    response = client_a.post(reverse("plans:from_workshop", args=[held_workshop.pk]), follow=True)
    assert ActionPlan.objects.count() == 0
    assert (
        "efter att workshoppen har hållits" in response.content.decode()
        or response.context["messages"]
    )


def test_a_plan_from_published_results_takes_the_weakest_goals(client_a, org_a, version):
    round_ = published_round(org_a, version)
    response = client_a.post(reverse("plans:from_round", args=[round_.pk]))
    plan = ActionPlan.objects.get()
    assert response.url == reverse("plans:detail", args=[plan.pk])
    assert plan.round == round_
    from results.figures import round_results

    weakest = [row.unit.key for row in round_results(round_).weakest]
    assert list(plan.goals.values_list("goal_key", flat=True)) == weakest
    assert all("95" in goal.reasons for goal in plan.goals.all())
    client_a.post(reverse("plans:from_round", args=[round_.pk]))
    assert ActionPlan.objects.count() == 1


def test_an_unpublished_round_makes_no_plan(client_a, open_round):
    client_a.post(reverse("plans:from_round", args=[open_round.pk]))
    assert ActionPlan.objects.count() == 0


def test_suggestions_come_from_modules_and_published_cases_on_the_goal(client_a, plan, org_a):
    key = plan.goals.get().goal_key
    make_module("styrning", [key])
    make_module("annat", ["nagot-annat"])
    make_case("fallet", org_a, [key], title="Ett bra fall")
    make_case("forslag", org_a, [key], title="Ett förslag", status="proposed")
    page = client_a.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Modul styrning" in page and "Ett bra fall" in page
    assert "Modul annat" not in page and "Ett förslag" not in page


def test_status_changes_are_kept_in_the_history(client_a, plan, activity, coordinator_a):
    url = reverse("plans:change_status", args=[plan.pk, activity.pk])
    client_a.post(url, {"status": "under_way", "note": "Påbörjad"})
    client_a.post(url, {"status": "done"})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE
    changes = list(
        plan.events.filter(kind=PlanEvent.Kind.STATUS)
        .order_by("at", "id")
        .values_list("from_value", "to_value", "note", "by")
    )
    assert changes == [
        ("planned", "under_way", "Påbörjad", coordinator_a.pk),
        ("under_way", "done", "", coordinator_a.pk),
    ]
    page = client_a.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    with override("sv"):
        labels = f"{Activity.Status.UNDER_WAY.label} → {Activity.Status.DONE.label}"
    assert labels in page


def test_a_bad_status_or_target_changes_nothing(client_a, plan, activity):
    before = plan.events.count()
    client_a.post(reverse("plans:change_status", args=[plan.pk, activity.pk]), {"status": "x"})
    goal = plan.goals.get()
    for bad in ["6", "0,5", "3,25", "tre", "nan"]:
        client_a.post(
            reverse("plans:set_target", args=[plan.pk, goal.pk]), {f"g{goal.pk}-target": bad}
        )
    goal.refresh_from_db()
    activity.refresh_from_db()
    assert (goal.target, activity.status, plan.events.count()) == (None, "planned", before)


def test_a_target_takes_a_decimal_comma(client_a, plan):
    goal = plan.goals.get()
    client_a.post(
        reverse("plans:set_target", args=[plan.pk, goal.pk]), {f"g{goal.pk}-target": "3,5"}
    )
    goal.refresh_from_db()
    assert str(goal.target) == "3.5"
    assert plan.events.filter(kind=PlanEvent.Kind.TARGET, to_value="3.5").exists()


def test_a_target_comes_back_with_a_decimal_comma_in_the_field_and_the_history(client_a, plan):
    goal = plan.goals.get()
    url = reverse("plans:set_target", args=[plan.pk, goal.pk])
    client_a.post(url, {f"g{goal.pk}-target": "3,5"})
    client_a.post(url, {f"g{goal.pk}-target": "4"})
    page = client_a.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert f'name="g{goal.pk}-target" value="4,0"' in page
    assert "(3,5 → 4,0)" in page and "3.5" not in page
    client_a.cookies["django_language"] = "en"
    page = client_a.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'value="4.0"' in page and "(3.5 → 4.0)" in page


def test_a_target_with_two_decimals_is_refused_with_its_reason(client_a, plan):
    goal = plan.goals.get()
    response = client_a.post(
        reverse("plans:set_target", args=[plan.pk, goal.pk]),
        {f"g{goal.pk}-target": "3,25"},
        follow=True,
    )
    assert "högst en decimal" in response.content.decode()
    goal.refresh_from_db()
    assert goal.target is None


def test_adding_an_activity_needs_what_who_and_when(client_a, plan):
    goal = plan.goals.get()
    url = reverse("plans:add_activity", args=[plan.pk])
    response = client_a.post(url, {"goal": goal.pk, "what": "Utbildning"})
    assert response.status_code == 400 and not plan.activities.exists()
    client_a.post(
        url,
        {"goal": goal.pk, "what": "Utbildning", "responsible": "HR-chef", "due_on": "2027-03-01"},
    )
    assert plan.activities.get().responsible == "HR-chef"
    assert plan.events.filter(kind=PlanEvent.Kind.ADDED).count() == 1


def plan_urls(plan, activity, workshop, round_):
    goal = plan.goals.get()
    return {
        "get": [
            reverse("plans:detail", args=[plan.pk]),
            reverse("plans:pdf", args=[plan.pk]),
            reverse("plans:docx", args=[plan.pk]),
        ],
        "post": [
            reverse("plans:set_target", args=[plan.pk, goal.pk]),
            reverse("plans:add_activity", args=[plan.pk]),
            reverse("plans:change_status", args=[plan.pk, activity.pk]),
            reverse("plans:from_workshop", args=[workshop.pk]),
            reverse("plans:from_round", args=[round_.pk]),
        ],
    }


def test_another_organisation_gets_404_on_every_plan_url(
    client_b, plan, activity, held_workshop, org_a, version
):
    round_ = published_round(org_a, version)
    urls = plan_urls(plan, activity, held_workshop, round_)
    events = PlanEvent.objects.count()
    for url in urls["get"]:
        assert client_b.get(url).status_code == 404, url
    goal = plan.goals.get()
    data = {
        f"g{goal.pk}-target": "4",
        "status": "done",
        "goal": goal.pk,
        "what": "x",
        "responsible": "y",
        "due_on": "2027-01-01",
    }
    for url in urls["post"]:
        assert client_b.post(url, data).status_code == 404, url
    assert PlanEvent.objects.count() == events and ActionPlan.objects.count() == 1
    assert "Trelleborg" not in client_b.get(reverse("plans:list")).content.decode()


@pytest.mark.parametrize("who", ["client_a", "staff_client"])
def test_the_coordinator_and_staff_see_the_plan(request, who, plan, activity):
    client = request.getfixturevalue(who)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Ta fram en digital strategi" in page


def test_a_respondent_without_an_account_is_sent_to_log_in(client, plan):
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_the_pdf_opens(client_a, plan, activity):
    response = client_a.get(reverse("plans:pdf", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "tag"),
    [("sv", "sv-SE"), ("en", "en-GB")],
)
def test_the_docx_is_a4_in_the_active_language(client_a, plan, activity, language, tag):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    client_a.cookies["django_language"] = language
    response = client_a.get(reverse("plans:docx", args=[plan.pk]))
    document = Document(BytesIO(response.content))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert document.core_properties.language == tag
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert lang.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == tag
    with override(language):
        assert document.paragraphs[0].text == gettext("Action plan: %(org)s") % {
            "org": "Trelleborgs kommun"
        }
    assert "Ta fram en digital strategi" in document.tables[0].rows[1].cells[0].text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_next_round_shows_change_against_the_target(
    client_a, org_a, version, coordinator_a, language
):
    low = published_round(org_a, version, days_ago=200, value=lambda i, item: 1 + i % 2)
    plan = actions.plan_from_round(low, coordinator_a)
    goal = plan.goals.first()
    actions.set_target(goal, "3,0", coordinator_a)
    follow = published_round(
        org_a, version, name="Uppföljning", kind="follow_up", value=lambda i, item: 4 + i % 2
    )
    client_a.cookies["django_language"] = language
    page = client_a.get(reverse("results:round_results", args=[follow.pk])).content.decode()
    assert 'id="plan-progress"' in page
    # The goal in the reader's language (the plan keeps the Swedish name it was made with).
    with override(language):
        name = Goal.objects.get(area__version=version, key=goal.goal_key).name
    section = page.split('id="plan-progress"')[1].split("</section>")[0]
    assert f'<th scope="row">{name}</th>' in section
    # Then about 1.5, now about 4.5 with everyone between 4 and 5 (as published, with the
    # deliberate noise of results.disclosure): a clear change, the target reached.
    then, now = (
        next(row for row in round_results(r).goals if row.unit.key == goal.goal_key).total.mean
        for r in (low, follow)
    )
    assert abs(then - 1.5) < 1 and abs(now - 4.5) < 1
    with override(language):
        shown = [formats.number_format(figure, 1) for figure in (then, now, 3.0)]
    assert all(figure in page for figure in shown)
    assert 'data-verdict="reached"' in page
    earlier = client_a.get(reverse("results:round_results", args=[low.pk])).content.decode()
    assert 'id="plan-progress"' not in earlier


def test_reading_the_plan_pages_writes_nothing(client_a, plan, activity):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    write = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
    urls = [
        reverse("plans:list"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:pdf", args=[plan.pk]),
        reverse("plans:docx", args=[plan.pk]),
    ]
    client_a.get(urls[0])  # the session is written once, at login
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client_a.get(url).status_code == 200, url
        writes = [
            q["sql"]
            for q in captured.captured_queries
            if write.match(q["sql"]) and "django_session" not in q["sql"]
        ]
        assert writes == [], (url, writes)


def test_posting_is_required_to_make_or_change_a_plan(client_a, plan, activity, held_workshop):
    assert client_a.get(reverse("plans:from_workshop", args=[held_workshop.pk])).status_code == 405
    url = reverse("plans:change_status", args=[plan.pk, activity.pk])
    assert client_a.get(url).status_code == 405


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_goals_are_named_in_the_readers_language(client_a, version, plan, activity, language):
    """The plan keeps the Swedish name it was made with; a reader in English sees the
    framework goal's English name on the page (heading, activity form, history) and in the
    Word file; the PDF is made from the same page body."""
    goal = Goal.objects.get(area__version=version, key=plan.goals.get().goal_key)
    assert goal.name_en and goal.name_en != goal.name_sv
    expected, other = (
        (goal.name_sv, goal.name_en) if language == "sv" else (goal.name_en, goal.name_sv)
    )
    client_a.cookies["django_language"] = language

    page = client_a.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert f">{expected}</h2>" in page
    assert other not in page

    from docx import Document

    response = client_a.get(reverse("plans:docx", args=[plan.pk]))
    headings = [p.text for p in Document(BytesIO(response.content)).paragraphs]
    assert expected in headings and other not in headings
