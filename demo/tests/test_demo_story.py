"""The demo tells one believable story on one timeline relative to the load day, the README
describes it truly, and every figure in its report agrees with the pages. Runs the whole
``load_demo`` once (about twenty seconds)."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Response, Round, RoundLink
from demo.population import GAP_GOALS, GROUPS, INVITED
from demo.workshops import workshop_count
from learning.models import WorkshopRequest
from plans.effect import national_effect
from plans.models import ActionPlan, PlanEvent
from programme import report_document
from programme.models import Cost, Grant
from programme.report import gather, report_settings
from pulse.models import Pulse, PulseFigure, PulseResponse
from registry.models import Coordinator, Organisation
from results.models import PublishedFigure, UnitKind
from webinars.models import Session

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_tells_one_story(demo, staff_client):
    """One test, so that the whole demo is loaded once."""
    today = timezone.localdate()
    _the_readme_is_true(today)
    _runs_on_one_timeline(today)
    _its_sizes_and_figures_are_believable()
    _trelleborg_sees_its_story(today)
    _the_effect_page_shows_a_difference_and_a_null()
    _its_report_agrees_with_the_pages(staff_client)
    _disclosure_control_shows_what_the_programme_is_for(staff_client)
    _its_resident_pulses_are_as_the_readme_says()


def _demo_text() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("| who | username | password |")
    end = text.index("The good-practice library holds")
    return re.sub(r"\s+", " ", text[start:end])


def _its_resident_pulses_are_as_the_readme_says():
    text = _demo_text()
    pulses, residents = _number(
        r"(\d+) organisations \(Trelleborg among them\) also ran a resident pulse, (\d+) residents",
        text,
    )
    assert (Pulse.objects.count(), PulseResponse.objects.count()) == (pulses, residents)
    assert Pulse.objects.filter(organisation__code="1287", publication__isnull=False).exists()
    positive, lives_up = _number(r"(\d+) % are positive .* (\d+) % think", text)
    for topic, stated in (("attitude", positive), ("lives_up", lives_up)):
        sums = PulseFigure.objects.filter(
            statement__topic=topic, breakdown="", status=PulseFigure.Status.SHOWN
        ).aggregate(agreeing=Sum("agreeing"), rated=Sum("rated"))
        assert round(100 * sums["agreeing"] / sums["rated"]) == stated, topic


def _number(pattern: str, text: str) -> list[int]:
    found = re.search(pattern, text)
    assert found, pattern
    return [int(group) for group in found.groups()]


def _national(kind):
    return Round.objects.filter(name__startswith="Nationell", kind=kind)


def _the_readme_is_true(today):
    text = _demo_text()
    # the logins
    users = get_user_model().objects
    for username in re.findall(r"`([a-z.]+)` \| `digilyft-demo`", text):
        assert users.get(username=username).check_password("digilyft-demo")
    assert {c.organisation.name for c in Coordinator.objects.select_related("organisation")} == {
        "Trelleborg",
        "Region Östergötland",
    }
    # Trelleborg's open round
    assert '"Demo ⟨this year⟩", opened a week ago, with 18 responses so far' in text
    open_round = Round.objects.get(organisation__code="1287", name=f"Demo {today.year}")
    assert open_round.opens_on == today - timedelta(days=7) and open_round.is_open(today)
    assert open_round.responses.filter(submitted_on__isnull=False).count() == 18
    # the national rounds
    assert "baseline opened about a year ago and ran for five weeks or so" in text
    assert "a follow-up as long closed about two months ago" in text
    organisations, baseline, follow_up, responses = _number(
        r"Of the (\d+) organisations, (\d+) took part in the baseline and (\d+) in the "
        r"follow-up, with (\d+) responses in all",
        text,
    )
    assert Organisation.objects.count() == organisations
    assert _national(Round.Kind.BASELINE).count() == baseline
    assert _national(Round.Kind.FOLLOW_UP).count() == follow_up
    assert Response.objects.filter(round__name__startswith="Nationell").count() == responses
    politicians, officials, key_persons = (
        _number(r"executive committee of (\d+)–(\d+) politicians", text),
        _number(r"management team of (\d+)–(\d+) leading officials", text),
        _number(r"and (\d+)–(\d+) other key persons were invited", text),
    )
    assert [politicians, officials, key_persons] == [list(INVITED[g]) for g in GROUPS]
    links = RoundLink.objects.filter(round__name__startswith="Nationell")
    for group, (low, high) in INVITED.items():
        invited = set(links.filter(target_group__key=group).values_list("invited_count", flat=True))
        assert min(invited) == low and max(invited) == high, group
    low, high = _number(r"and (\d+)–(\d+) % of each group answered", text)
    assert "only two to four people answered (their figures stay hidden)" in text
    rounds = Round.objects.filter(name__startswith="Nationell")
    totals = dict(rounds.values_list("pk").annotate(n=_count_submitted()))
    few = {pk for pk, n in totals.items() if n < 5}
    assert few and all(2 <= totals[pk] <= 4 for pk in few)
    assert not PublishedFigure.objects.filter(round_id__in=few, status="shown").exists()
    for link in links.exclude(round_id__in=few).annotate(n=_count_submitted("responses")):
        assert low / 100 <= link.n / link.invited_count <= high / 100 + 1e-9, link
    workshops, plans = _number(
        r"(\d+) locally adapted workshops were held and (\d+) action plans made", text
    )
    assert WorkshopRequest.objects.filter(status="held").count() == workshops
    assert ActionPlan.objects.count() == plans
    # webinars
    assert "a kick-off for politicians a few months before the baseline" in text
    assert "four more, for officials and key persons, come on Tuesdays and Thursdays" in text
    # the programme's facts, moved
    grants = _number(r"grants \((\d+), (\d+) and (\d+) MSEK\)", text)
    settings = report_settings()
    year = settings.period_end.year
    assert year == today.year + (today.month == 12 and today.day >= 18)
    assert {g.year: g.amount for g in Grant.objects.all()} == {
        year - 2 + i: Decimal(m * 1_000_000) for i, m in enumerate(grants)
    }
    assert "report period from 30 August two years before to 31 December" in text
    assert (settings.period_start.year, settings.period_start.month) == (year - 2, 8)
    assert settings.period_start.day == 30
    assert (settings.period_end.month, settings.period_end.day) == (12, 31)
    assert "its deadline on 28 February after it" in text
    assert (settings.deadline.year, settings.deadline.month) == (year + 1, 2)
    assert settings.deadline.day == 28


def _count_submitted(prefix="responses"):
    from django.db.models import Count, Q

    return Count(prefix, filter=Q(**{f"{prefix}__submitted_on__isnull": False}))


def _runs_on_one_timeline(today):
    baseline = _national(Round.Kind.BASELINE)
    follow_up = _national(Round.Kind.FOLLOW_UP)
    [(b_opens, b_closes)] = set(baseline.values_list("opens_on", "closes_on"))
    [(f_opens, f_closes)] = set(follow_up.values_list("opens_on", "closes_on"))
    assert 330 <= (today - b_opens).days <= 400  # about a year ago
    assert 31 <= (b_closes - b_opens).days <= 47  # five weeks or so
    assert 60 <= (today - f_closes).days <= 75  # about two months ago
    assert 31 <= (f_closes - f_opens).days <= 47
    for day in (b_opens, b_closes, f_opens, f_closes):
        assert day.weekday() < 5
    assert not Round.objects.filter(name__startswith="Nationell", publication__isnull=True)
    # webinars: weekdays, office hours; the kick-off before the baseline, the rest ahead
    sessions = list(Session.objects.order_by("starts_at"))
    for session in sessions:
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        assert start.weekday() < 5 and 8 <= start.hour and end.hour <= 17, session
    past = [s for s in sessions if s.starts_at < timezone.now()]
    upcoming = [timezone.localtime(s.starts_at) for s in sessions if s not in past]
    assert 60 <= (b_opens - timezone.localdate(past[0].starts_at)).days <= 130
    assert len(upcoming) == 4 and {s.weekday() for s in upcoming} == {1, 3}
    assert all(s.hour == 10 for s in upcoming)
    assert upcoming[0].date() - today <= timedelta(days=9)
    # workshops and plan work between the rounds, never on a weekend, never after today
    held = WorkshopRequest.objects.filter(status="held")
    assert held.count() == workshop_count()
    for workshop in held:
        day = timezone.localdate(workshop.scheduled_start)
        assert b_closes < day < f_opens and day.weekday() < 5
        assert workshop.round.kind == Round.Kind.BASELINE
    assert not PlanEvent.objects.filter(at__gt=timezone.now()).exists()
    # the report period and its deadline are ahead; spending is never in the future
    settings = report_settings()
    assert settings.period_start < b_opens and settings.period_end >= today
    assert settings.deadline > today
    assert settings.kickoff == timezone.localdate(past[0].starts_at)
    assert not Cost.objects.filter(status="spent", date__gt=today).exists()
    assert {c.date.year for c in Cost.objects.all()} <= set(
        Grant.objects.values_list("year", flat=True)
    )
    costs = Cost.objects.filter(activity="workshops")
    assert sum(int(c.note.split(": ")[1].split()[0]) for c in costs) == held.count()


_RATERS_SQL = """
SELECT l.target_group_id, COUNT(DISTINCT r.id)
FROM assessments_answer a
JOIN assessments_response r ON r.id = a.response_id
JOIN assessments_roundlink l ON l.id = r.link_id
JOIN frameworks_item i ON i.id = a.item_id
JOIN assessments_round o ON o.id = r.round_id
WHERE a.value IS NOT NULL AND r.submitted_on IS NOT NULL AND o.name LIKE 'Nationell%%'
GROUP BY r.round_id, l.target_group_id, i.goal_id
"""


def _its_sizes_and_figures_are_believable():
    with connection.cursor() as cursor:
        cursor.execute(_RATERS_SQL)
        cells = [n for _group, n in cursor.fetchall()]
    shown = sum(n >= 5 for n in cells) / len(cells)
    assert 0.5 <= shown < 0.9  # most target-group goal figures can be shown, some cannot
    genders = list(Response.objects.values_list("gender", flat=True))
    women = genders.count("woman") / len(genders)
    assert 0.45 <= women <= 0.55
    assert 0.02 <= sum(g in ("other", "undisclosed", "") for g in genders) / len(genders) <= 0.08
    figures = PublishedFigure.objects.filter(
        round__name__startswith="Nationell",
        unit_kind=UnitKind.GOAL,
        target_group_id__isnull=True,
        gender="",
        status="shown",
    )
    means = sorted(f.score_sum / f.respondents for f in figures)
    assert means[len(means) // 20] < 2.1 and means[-len(means) // 20] > 4.0
    national = {}
    for figure in figures.filter(round__kind=Round.Kind.BASELINE):
        total = national.setdefault(figure.unit_id, [0.0, 0])
        total[0] += figure.score_sum
        total[1] += figure.respondents
    goal_means = [s / n for s, n in national.values()]
    assert max(goal_means) - min(goal_means) >= 1.2


def _trelleborg_sees_its_story(today):
    from results.figures import round_results

    baseline = Round.objects.get(organisation__code="1287", kind="baseline")
    follow_up = Round.objects.get(organisation__code="1287", name__startswith="Nationell upp")
    assert baseline.publication.respondents >= 20
    assert follow_up.publication.respondents >= 20
    results = round_results(follow_up)
    assert any(row.change for row in results.goals)
    by_group = {
        (f.unit_id, f.target_group_id): f.score_sum / f.respondents
        for f in PublishedFigure.objects.filter(
            round=follow_up, unit_kind=UnitKind.GOAL, status="shown", gender=""
        ).exclude(target_group_id=None)
    }
    groups = dict(follow_up.version.target_groups.values_list("key", "pk"))
    goals = dict(follow_up.version.goal_areas.values_list("goals__key", "goals__pk"))
    for key in GAP_GOALS:  # politicians and officials see these goals differently
        gap = (
            by_group[(goals[key], groups["politician"])]
            - by_group[(goals[key], groups["official"])]
        )
        assert gap >= 0.5, key
    held = WorkshopRequest.objects.get(organisation__code="1287", status="held")
    assert held.round == baseline and held.plans.exists()
    requested = WorkshopRequest.objects.get(organisation__code="1287", status="requested")
    assert requested.round == follow_up and requested.goals.exists()
    assert requested.wished_date_1 > today


def _disclosure_control_shows_what_the_programme_is_for(client):
    """Issue 21's targets on the demo: every national, county and kommungrupp gender figure of
    the open data has a value; at least half of the organisations' target-group goal figures
    are shown; Trelleborg's coordinator sees the politicians-vs-officials gaps."""
    from api.catalogue import entities
    from results.figures import round_results

    year = Round.objects.get(organisation__code="1287", name__startswith="Nationell upp")
    year = year.closed_early_at.year if year.closed_early_at else year.closes_on.year
    aggregates = [key for key, e in entities().items() if e.kind != "organisation"]
    gender_values, pulse_values = [], []
    for start in range(0, len(aggregates), 25):
        ids = ",".join(aggregates[start : start + 25])
        url = f"/api/v1/data/municipality/{ids}/year/{year}?per_page=5000"
        while url:
            body = client.get(url).json()
            for row in body["values"]:
                genders = [v for v in row["values"] if v["gender"] in ("K", "M")]
                if re.match(r"DL[0-9]+R", row["kpi"]):
                    # The resident pulse's aggregates are made from its members' published
                    # figures only, so a group whose members' genders are all hidden has none.
                    pulse_values += genders if row["municipality"] == "0000" else []
                else:
                    gender_values += genders
            url = body["next_url"]
    assert gender_values and pulse_values
    assert all(v["value"] is not None for v in gender_values + pulse_values), [
        v for v in gender_values + pulse_values if v["value"] is None
    ][:3]
    groups = PublishedFigure.objects.filter(unit_kind=UnitKind.GOAL, gender="").exclude(
        target_group_id=None
    )
    assert groups.filter(status="shown").count() >= groups.count() / 2
    follow_up = Round.objects.get(organisation__code="1287", name__startswith="Nationell upp")
    gaps = [row for row in round_results(follow_up).goals if row.gap is not None]
    assert len(gaps) >= 12  # both groups shown on nearly every goal
    assert any(row.gap_is_large for row in gaps)


def _the_effect_page_shows_a_difference_and_a_null():
    effect = national_effect()
    estimated = [goal for goal in effect.goals if goal.worked_n >= 5 and goal.others_n >= 5]
    assert len(estimated) >= 12
    clear = [goal for goal in estimated if goal.is_clear]
    assert len(clear) >= 2 and len(estimated) - len(clear) >= 5


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
    assert {y.year for y in context["budget_years"]} == set(
        Grant.objects.values_list("year", flat=True)
    )
    assert not any(y.over for y in context["budget_years"])
    national = [row for row in context["national"] if row.organisations]
    assert len(national) == 4
    effect_rows = next(
        t for t in described.tables() if t.header[1] == _("Change, worked on it")
    ).rows
    assert any("·" in row[5] for row in effect_rows)  # at least one goal has an estimate
