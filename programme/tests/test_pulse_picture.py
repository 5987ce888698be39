"""The resident pulse seen from the programme office (issue 27): the national, municipality
group and county picture pooled from published figures only, the expectation gap pooled over
organisations, the page (staff only) and its workbook, and the report's section made of the
same figures."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from conftest import make_org
from programme import pulse_picture, report, report_document
from pulse.gap import expectation_gap, expectation_gaps
from pulse.loading import current_version
from pulse.models import Pulse, PulseFigure, PulsePublication, PulseResponse
from pulse.pulses import close_early, start_pulse, store_answers
from results.tests.factories import link, make_round, publish, submit

pytestmark = pytest.mark.django_db

LIVES_UP = "lever-upp"
TRUST = "tillit-personuppgifter"
TRUST_ONLY_GOAL = "arkitektur-2"  # only the trust statement speaks to it
SHOWN = PulseFigure.Status.SHOWN


def hand_made_pulse(org, figures, genders=None, closed_days_ago=5, residents=None):
    """A published pulse whose figures are written here, as publication would have written
    them: ``figures`` {statement key: (percent, respondents)} shown, every other statement
    suppressed; ``genders`` {(statement key, gender): (percent, respondents) or None for
    suppressed}. ``residents`` responses are stored (no answers: only counted)."""
    today = timezone.localdate()
    pulse = Pulse.objects.create(
        organisation=org,
        version=current_version(),
        opens_on=today - timedelta(days=closed_days_ago + 20),
        closes_on=today - timedelta(days=closed_days_ago),
    )
    publication = PulsePublication.objects.create(pulse=pulse, published_on=today)
    rows = []
    for statement in pulse.version.statements.all():
        shown = figures.get(statement.key)
        rows.append(
            PulseFigure(
                publication=publication,
                statement=statement,
                status=SHOWN if shown else PulseFigure.Status.SUPPRESSED,
                shown_percent=shown[0] if shown else None,
                shown_respondents=shown[1] if shown else None,
            )
        )
        for gender in ("woman", "man"):
            if (statement.key, gender) not in (genders or {}):
                continue
            cell = genders[(statement.key, gender)]
            rows.append(
                PulseFigure(
                    publication=publication,
                    statement=statement,
                    breakdown="gender",
                    group=gender,
                    status=SHOWN if cell else PulseFigure.Status.SUPPRESSED,
                    shown_percent=cell[0] if cell else None,
                    shown_respondents=cell[1] if cell else None,
                )
            )
    PulseFigure.objects.bulk_create(rows)
    PulseResponse.objects.bulk_create(
        PulseResponse(pulse=pulse) for _ in range(residents or max(n for _p, n in figures.values()))
    )
    return pulse


def leadership(org, version, value=5, per_group=12):
    """A published self-assessment that opened before the pulses: everyone answers ``value``."""
    round_ = make_round(org, version, name=f"Självskattning {org.code}", days_ago=60)
    submit(link(round_, "politician"), per_group, value=value)
    submit(link(round_, "official"), per_group, value=value)
    return publish(round_)


@pytest.fixture
def nation(version):
    return build_nation(version)


def build_nation(version):
    """Four organisations in the figures (three in group B3, one in A1), one that ran a pulse
    not yet published, and an older pulse that a newer one replaces."""
    a = make_org("1201", "Aby", county_code="12", county_name="Skåne län", kg="B3")
    b = make_org("1202", "Bby", county_code="12", county_name="Skåne län", kg="B3")
    c = make_org("0501", "Cby", county_code="05", county_name="Östergötlands län", kg="B3")
    d = make_org("0101", "Dby", county_code="01", county_name="Stockholms län", kg="A1")
    e = make_org("0102", "Eby", county_code="01", county_name="Stockholms län", kg="A1")
    for org in (a, b, c, d):
        leadership(org, version)
    hand_made_pulse(
        a,
        {LIVES_UP: (40, 50), TRUST: (40, 50)},
        {(LIVES_UP, "woman"): (50, 25), (LIVES_UP, "man"): (35, 25)},
    )
    hand_made_pulse(
        b,
        {LIVES_UP: (20, 30), TRUST: (20, 30)},
        {(LIVES_UP, "woman"): None, (LIVES_UP, "man"): None},
    )
    hand_made_pulse(
        c,
        {LIVES_UP: (10, 20), TRUST: (10, 20)},
        {(LIVES_UP, "woman"): (30, 10), (LIVES_UP, "man"): None},
    )
    hand_made_pulse(d, {LIVES_UP: (90, 40)}, residents=10, closed_days_ago=15)  # replaced
    hand_made_pulse(d, {LIVES_UP: (30, 100), TRUST: (30, 100)}, {(LIVES_UP, "woman"): (20, 50)})
    today = timezone.localdate()
    start_pulse(organisation=e, user=None, opens_on=today, closes_on=today + timedelta(days=9))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _statement(picture, key):
    return next(row for row in picture.statements if row.statement.key == key)


def _goal(picture, key):
    return next(row for row in picture.goals if row.key == key)


def test_the_pooled_shares_are_the_published_shares_weighted_by_published_respondents(nation):
    picture = pulse_picture.picture()
    assert (picture.organisations, picture.ran, picture.published) == (5, 5, 4)
    assert picture.residents == 50 + 30 + 20 + 100  # D's replaced pulse not counted
    lives_up = _statement(picture, LIVES_UP)
    # (40·50 + 20·30 + 10·20 + 30·100) / (50 + 30 + 20 + 100) = 5800 / 200 = 29 %
    assert (lives_up.total.percent, lives_up.total.respondents) == (29, 200)
    assert lives_up.total.organisations == 4
    # Women: only where an organisation's own women figure is shown (A, C, D; not B):
    # (50·25 + 30·10 + 20·50) / 85 = 2550 / 85 = 30 %. Men: A alone, so no figure.
    women, men = lives_up.genders["woman"], lives_up.genders["man"]
    assert (women.percent, women.respondents, women.organisations) == (30, 85, 3)
    assert not men.shown and men.organisations == 1 and men.percent is None
    # A statement every organisation suppressed shows nothing.
    attitude = _statement(picture, "attityd-digital-service")
    assert not attitude.total.shown and attitude.total.organisations == 0
    assert attitude.text.startswith("Jag är positiv") and "min kommun eller region" in attitude.text


def test_a_group_of_fewer_than_three_organisations_shows_no_figure(nation):
    picture = pulse_picture.picture()
    groups = {row.code: row for row in picture.groups}
    b3, a1 = groups["B3"], groups["A1"]
    assert (b3.organisations, b3.ran, b3.published, b3.residents) == (3, 3, 3, 100)
    lives_up = dict(b3.headline)["Tycker att den lever upp till förväntningarna"]
    assert lives_up.percent == 28  # (2000 + 600 + 200) / 100
    assert (a1.organisations, a1.ran, a1.published, a1.residents) == (2, 2, 1, None)
    assert all(not figure.shown for _label, figure in a1.headline)
    counties = {row.code: row for row in picture.counties}
    assert counties["12"].published == 2 and counties["12"].residents is None
    # Filtered to the group, the whole page keeps to it; below the minimum it says so.
    in_b3 = pulse_picture.picture(kommungrupp="B3", scope="B3")
    assert _statement(in_b3, LIVES_UP).total.percent == 28 and in_b3.groups == []
    small = pulse_picture.picture(kommungrupp="A1", scope="Storstäder")
    assert small.any and not small.enough and small.goals == []
    assert "minst 3 organisationer" in small.sentence


def test_the_gap_pools_each_organisations_own_gap(nation, settings):
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 3
    picture = pulse_picture.picture()
    row = _goal(picture, TRUST_ONLY_GOAL)
    pulses = pulse_picture.counted_pulses(pulse_picture.scope_organisations())
    own = [
        next(r for r in expectation_gap(pulse).rows if r.goal.key == TRUST_ONLY_GOAL)
        for pulse in pulses
    ]
    assert row.organisations == 4 and all(r.shown for r in own)
    # The residents' side: the trust statement's published shares, weighted: 29 % of 200.
    assert (row.residents.percent, row.residents.respondents) == (29, 200)
    # The leadership's side: each organisation's own published goal figure, weighted.
    n = sum(r.leaders.respondents for r in own)
    share = sum(r.leaders.share * r.leaders.respondents for r in own) / n
    assert (row.leaders.percent, row.leaders.respondents) == (round(100 * share), n)
    # The test is over organisations: the mean of their own differences.
    differences = [100 * (r.residents.share - r.leaders.share) for r in own]
    assert row.change.n == 4
    assert row.change.mean == pytest.approx(sum(differences) / 4)
    assert row.verdict.is_clear and row.direction == "lower"
    assert (row.lower, row.higher) == (sum(r.direction == "lower" for r in own), 0) == (4, 0)
    assert row.difference.startswith("\u2212")
    assert picture.most_above.lower == 4
    assert (
        f"Ledningen bedömer ”{picture.most_above.name}” klart högre än dess invånare gör i 4 av "
        "de 4 organisationer som jämförts." in picture.sentence
    )
    # Below the effect page's minimum of organisations: too few to tell.
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 5
    assert _goal(pulse_picture.picture(), TRUST_ONLY_GOAL).verdict.too_few


def test_the_gaps_in_bulk_are_each_organisations_own_gap(nation):
    pulses = pulse_picture.counted_pulses(pulse_picture.scope_organisations())
    with CaptureQueriesContext(connection) as captured:
        gaps = expectation_gaps(pulses)
    assert len(captured) == 6
    for pulse in pulses:
        one, bulk = expectation_gap(pulse), gaps[pulse.pk]
        assert bulk.round == one.round
        assert [(r.goal.pk, r.residents, r.leaders, r.verdict, r.direction) for r in bulk.rows] == [
            (r.goal.pk, r.residents, r.leaders, r.verdict, r.direction) for r in one.rows
        ]


def test_only_pulses_that_closed_in_the_period_count(nation):
    today = timezone.localdate()
    picture = pulse_picture.picture(today - timedelta(days=10), today)
    # D's pulse that closed 15 days ago is outside; the newer one is in.
    assert picture.published == 4 and _statement(picture, LIVES_UP).total.respondents == 200
    before = pulse_picture.picture(today - timedelta(days=400), today - timedelta(days=10))
    assert before.published == 1 and not before.enough
    assert (
        pulse_picture.picture(today - timedelta(days=400), today - timedelta(days=300)).sentence
        == ""
    )


def test_the_page_is_for_the_programme_office_only(nation, client, coordinator_a, staff_user):
    for name in ("programme:pulse", "programme:pulse_xlsx"):
        url = reverse(name)
        assert client.get(url).status_code == 302  # to the login page
        client.force_login(coordinator_a)
        assert client.get(url).status_code == 403
        client.force_login(staff_user)
        assert client.get(url).status_code == 200
        client.logout()


def test_the_page_shows_the_picture(nation, staff_client):
    page = staff_client.get(reverse("programme:pulse"), {"period": "all"}).content.decode()
    picture = pulse_picture.picture()
    assert escape(picture.sentence) in page
    assert "inte ett slumpmässigt urval" in page
    assert 'id="pulse-statements"' in page and 'id="pulse-groups"' in page
    assert 'id="pulse-counties"' in page and 'id="pulse-gap-table"' in page
    assert "29&nbsp;%" in page
    filtered = staff_client.get(reverse("programme:pulse"), {"group": "B3", "period": "all"})
    assert filtered.status_code == 200 and 'id="pulse-groups"' not in filtered.content.decode()
    bad = staff_client.get(reverse("programme:pulse"), {"group": "Z9"})
    assert bad.status_code == 400 and "error-box" in bad.content.decode()
    assert staff_client.get(reverse("programme:pulse_xlsx"), {"county": "99"}).status_code == 400


def test_with_no_pulse_published_the_page_says_so_and_the_report_has_no_section(
    staff_client, version
):
    page = staff_client.get(reverse("programme:pulse"), {"period": "all"}).content.decode()
    assert 'id="pulse-none"' in page and 'id="pulse-statements"' not in page
    settings = report.report_settings()
    document = report_document.describe(report.gather(settings.period_start, settings.period_end))
    assert "Invånarpuls" not in " ".join(h.text for h in document.headings)


def test_the_workbook_has_the_pages_figures(nation, staff_client):
    response = staff_client.get(reverse("programme:pulse_xlsx"), {"period": "all"})
    book = load_workbook(BytesIO(response.content))
    picture = pulse_picture.picture()
    statements = {row[0].value: row for row in book["Påståenden"].iter_rows(min_row=2)}
    lives_up = statements[_statement(picture, LIVES_UP).text]
    assert (lives_up[1].value, lives_up[2].value, lives_up[3].value) == (4, 200, 0.29)
    assert lives_up[3].number_format == "0%"
    assert lives_up[4].value == 0.30 and lives_up[6].value.startswith("färre än 3")
    gap = {row[0].value: row for row in book["Förväntningsgap"].iter_rows(min_row=2)}
    row = _goal(picture, TRUST_ONLY_GOAL)
    cells = [cell.value for cell in gap[row.name]]
    assert cells[1] == 4 and cells[2] == row.residents.share and cells[6:9] == list(row.points)
    assert book["Sammanfattning"]["B4"].value == picture.sentence


def test_the_report_has_the_pages_figures(nation, settings):
    settings.DIGILYFT_EFFECT_MIN_ORGANISATIONS = 3
    today = timezone.localdate()
    start, end = today - timedelta(days=30), today
    context = report.gather(start, end)
    picture = pulse_picture.picture(start, end)
    assert context["pulse"] == picture
    document = report_document.describe(context)
    heading = next(h for h in document.headings if "Invånarpuls" in h.text)
    blocks = document.blocks[document.blocks.index(heading) :]
    assert blocks[1].text == picture.sentence
    tables = [block for block in blocks if isinstance(block, report_document.Table)][:3]
    statements, groups, gap = tables
    assert [row[:4] for row in statements.rows] == [
        (
            r.text,
            r.total.text,
            str(r.total.respondents) if r.total.shown else "–",
            str(r.total.organisations),
        )
        for r in picture.statements
    ]
    assert [row[0] for row in groups.rows] == [r.label for r in picture.groups]
    assert [row[1:] for row in gap.rows] == [
        (
            str(r.organisations),
            r.residents.text,
            r.leaders.text,
            r.difference,
            r.verdict.word if r.verdict else "–",
            str(r.lower) if r.shown else "–",
            str(r.higher) if r.shown else "–",
        )
        for r in picture.goals
    ]
    # and the page for the same period prints the same sentence
    assert picture.sentence.startswith("5 av 5 organisationer genomförde en invånarpuls")


def test_real_publications_pool_as_their_pages_show_them(version):
    """Through the real publication (cell-key noise and all): the pooled share is made of the
    figures each pulse's own public page shows."""
    orgs = [make_org(f"13{i:02d}", f"Kommun {i}", kg="C8") for i in range(3)]
    today = timezone.localdate()
    published = []
    for i, org in enumerate(orgs):
        pulse = start_pulse(
            organisation=org, user=None, opens_on=today - timedelta(days=2), closes_on=today
        )
        statements = list(pulse.version.statements.all())
        for j in range(8 + 4 * i):
            store_answers(pulse, {s.pk: 1 + (j + i) % 5 for s in statements}, "", "woman")
        close_early(pulse)
        published.append(pulse)
    figures = PulseFigure.objects.filter(
        publication__pulse__in=published, statement__key=LIVES_UP, breakdown="", status=SHOWN
    )
    assert figures.count() == 3
    weighted = sum(f.shown_percent * f.shown_respondents for f in figures)
    n = sum(f.shown_respondents for f in figures)
    row = _statement(pulse_picture.picture(), LIVES_UP)
    assert (row.total.respondents, row.total.percent) == (n, (2 * weighted + n) // (2 * n))
    # The open data's country value (api.data, through pulse.figures.pooled_share) is the
    # office's figure: the two are made alike and rounded alike.
    statement = figures[0].statement
    kpi = f"DL{statement.version_id}R{statement.pk}"
    answer = Client().get(f"/api/v1/data/kpi/{kpi}/municipality/0000").json()
    (nation,) = [v for v in answer["values"][0]["values"] if v["gender"] == "T"]
    assert (nation["value"], nation["x_n"]) == (row.total.percent, row.total.respondents)


def test_the_page_makes_as_many_queries_for_many_organisations_as_for_few(version, staff_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            staff_client.get(reverse("programme:pulse"), {"period": "all"})
        return len(captured)

    def add(start, count):
        for i in range(start, start + count):
            org = make_org(f"2{i:03d}", f"Ort {i}", kg="B4" if i % 2 else "C9")
            leadership(org, version, per_group=5)
            hand_made_pulse(org, {LIVES_UP: (20 + i, 10 + i), TRUST: (30, 12)})

    add(0, 3)
    few = queries()
    add(3, 6)
    assert queries() == few
