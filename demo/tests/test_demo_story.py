"""The demo tells one story on the programme's own timeline (kick-off 2019, baseline 2019,
workshops 2019–2020 with their costs, follow-up 2020, report due 2021-02-28), and every figure
in its report agrees with the pages. Runs the whole ``load_demo`` once (about half a minute)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Round
from demo.workshops import ROUNDS, workshop_count
from learning.models import WorkshopRequest
from programme import report_document
from programme.models import Cost
from programme.report import gather, report_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_tells_one_story(demo, staff_client):
    """One test, so that the whole demo is loaded once."""
    _runs_on_the_programmes_timeline()
    _its_report_agrees_with_the_pages(staff_client)


def _runs_on_the_programmes_timeline():
    settings = report_settings()
    assert settings.pk  # stored, editable by the office
    assert (settings.period_start, settings.period_end) == (date(2018, 8, 30), date(2020, 12, 31))
    assert settings.deadline == date(2021, 2, 28)
    national = Round.objects.filter(name__startswith="Nationell")
    baselines = national.filter(kind=Round.Kind.BASELINE)
    follow_ups = national.filter(kind=Round.Kind.FOLLOW_UP)
    assert {r.opens_on.year for r in baselines} == {2019}
    assert {r.opens_on.year for r in follow_ups} == {2020}
    assert not national.filter(publication__isnull=True).exists()  # all closed and published
    held = WorkshopRequest.objects.filter(status="held")
    assert held.count() == workshop_count()
    assert {w.scheduled_start.date() for w in held} <= {
        d for first, last, _n in ROUNDS for d in _days(first, last)
    }
    assert all(
        baselines.get(organisation=w.organisation).closes_on < w.scheduled_start.date()
        for w in held
    )
    costs = Cost.objects.filter(activity="workshops")
    assert {c.date.year for c in costs} == {2019, 2020}
    # the cost notes name the workshops that the pages list
    named = sum(int(c.note.split(": ")[1].split()[0]) for c in costs)
    assert named == held.count()
    # the coordinator's own open round goes on today, counts only
    open_round = Round.objects.get(name="Demo 2026")
    assert open_round.opens_on <= date.today() <= open_round.closes_on
    assert not hasattr(open_round, "publication")


def _days(first, last):
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 8)]


def _its_report_agrees_with_the_pages(staff_client):
    settings = report_settings()
    context = gather(settings.period_start, settings.period_end)
    described = report_document.describe(context)
    activities = next(t for t in described.tables() if len(t.header) == 3)
    workshops_row = activities.rows[1]
    held = WorkshopRequest.objects.filter(status="held").count()
    assert workshops_row[1] == str(held) and held > 0
    reach_page = staff_client.get(reverse("programme:reach")).context
    assert reach_page["reached"] == context["reached"]
    assert reach_page["totals"]["workshops"] == int(workshops_row[2])
    budget_page = staff_client.get(reverse("programme:budget")).context
    assert budget_page["total"].spent == context["budget_total"].spent
    assert {y.year for y in context["budget_years"]} == {2018, 2019, 2020}
    national = [row for row in context["national"] if row.organisations]
    assert len(national) == 4 and all(row.change.is_clear for row in national)
    effect_rows = next(
        t for t in described.tables() if t.header[1] == _("Change, worked on it")
    ).rows
    assert any("·" in row[5] for row in effect_rows)  # at least one goal has an estimate
