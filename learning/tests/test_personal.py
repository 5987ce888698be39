"""A respondent's own summary suggests, for their two weakest goal areas, upcoming webinars
for their target group, recordings and library cases — computed on the page, nothing stored,
links without anything that could track where a visitor came from."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Response
from assessments.questionnaire import build_pages, own_scores
from assessments.tests.helpers import answer_page, begin, page_url
from learning import personal
from learning.models import Case
from learning.tests.factories import make_case
from webinars.tests.factories import make_session

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def area_goal(link, page_number):
    """A goal key in the goal area shown on page ``page_number`` of the questionnaire."""
    return build_pages(link)[page_number - 1].items[0].goal.key


def submit_with_page_values(client, link, values):
    """Answer each page with its own value (pages are goal areas) and submit."""
    from django.urls import reverse

    pages = build_pages(link)
    begin(client, link)
    for page in pages[:-1]:
        answer_page(client, link, page.number, values.get(page.number, "5"))
    last = pages[-1]
    data = {f"item-{item.pk}": values.get(last.number, "5") for item in last.items}
    client.post(page_url(link, last.number), {**data, "gender": "", "action": "submit"})
    return client.post(reverse("assessments:respond_review", args=[link.token]))


@pytest.fixture
def catalogue(politician_link, org_b):
    """Something on the weakest areas (pages 1 and 2) and things that must not be suggested."""
    weakest, second, strong = (area_goal(politician_link, n) for n in (1, 2, 3))
    return {
        "webinar": make_session(title_sv="Ledning i praktiken", goal_keys=[weakest]),
        "other_group": make_session(
            title_sv="Bara för tjänstepersoner", groups=("official",), goal_keys=[weakest]
        ),
        "strong_area": make_session(title_sv="Starkt område", goal_keys=[strong]),
        "recording": make_session(
            hours_ahead=-72,
            title_sv="Inspelat om mål två",
            goal_keys=[second],
            recording_link="https://video.example/rec-2",
        ),
        "no_recording": make_session(
            hours_ahead=-72, title_sv="Utan inspelning", goal_keys=[second]
        ),
        "case": make_case("fall-ett", org_b, [weakest], title="Ett bra fall"),
        "draft": make_case(
            "utkast", org_b, [weakest], title="Ett utkast", status=Case.Status.PROPOSED
        ),
    }


def test_the_two_weakest_areas_are_chosen_and_ties_go_in_framework_order():
    scores = [
        {"area": "a", "mean": 3.0},
        {"area": "b", "mean": None},
        {"area": "c", "mean": 2.0},
        {"area": "d", "mean": 3.0},
    ]
    assert [s["area"] for s in personal.weakest_areas(scores)] == ["c", "a"]
    assert personal.weakest_areas([{"area": "x", "mean": None}]) == []


def test_the_summary_suggests_for_the_two_weakest_areas(client, politician_link, catalogue):
    result = submit_with_page_values(client, politician_link, {1: "1", 2: "2"})
    assert result.templates[0].name == "assessments/respond_summary.html"
    body = result.content.decode()
    assert 'id="learn-more"' in body
    for shown in ("Ledning i praktiken", "Inspelat om mål två", "Ett bra fall"):
        assert shown in body
    for hidden in ("Bara för tjänstepersoner", "Starkt område", "Utan inspelning", "Ett utkast"):
        assert hidden not in body


def test_the_suggestion_links_carry_nothing_that_tracks(client, politician_link, catalogue):
    body = submit_with_page_values(client, politician_link, {1: "1", 2: "2"}).content.decode()
    section = body[body.index('id="learn-more"') : body.index('id="print-summary"')]
    links = re.findall(r'href="([^"]+)"', section)
    assert links and all("?" not in href and politician_link.token not in href for href in links)


def test_computing_the_suggestions_writes_nothing(politician_link, catalogue, client):
    submit_with_page_values(client, politician_link, {1: "1", 2: "2"})
    scores = own_scores(Response.objects.get())
    with CaptureQueriesContext(connection) as captured:
        found = personal.suggestions(scores, "politician")
    assert [w.title_sv for w in found[0].webinars] == ["Ledning i praktiken"]
    assert [r.title_sv for r in found[1].recordings] == ["Inspelat om mål två"]
    assert [q["sql"] for q in captured.captured_queries if WRITE.match(q["sql"])] == []
    assert len(captured.captured_queries) == 4  # goals, upcoming, recordings, cases


def test_an_area_with_nothing_on_it_points_to_the_library(client, politician_link):
    body = submit_with_page_values(client, politician_link, {1: "1", 2: "2"}).content.decode()
    assert body.count('class="learn-none"') == 2


def test_a_respondent_who_rated_nothing_gets_no_suggestions():
    assert personal.suggestions([], "politician") == []


def test_a_webinar_that_has_begun_is_no_longer_upcoming(politician_link, catalogue):
    session = catalogue["webinar"]
    session.starts_at = timezone.now() - timedelta(minutes=5)
    session.save()
    scores = [{"area": build_pages(politician_link)[0].area, "mean": 1.0}]
    assert personal.suggestions(scores, "politician")[0].webinars == []
