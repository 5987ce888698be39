import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_org
from learning.library import search_cases
from learning.models import Case

from .factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(org_a, org_b):
    region = make_org(
        "05",
        "Region Östergötland",
        kind="region",
        county_code="05",
        county_name="Östergötlands län",
    )
    return {
        "e": make_case(
            "e-tjanster",
            org_a,
            ["service-1"],
            title="E-tjänster som kortar handläggningstiden",
            summary_sv="Ansökningar om ekonomiskt bistånd görs digitalt.",
        ),
        "stroke": make_case(
            "stroke",
            region,
            ["information-3"],
            title="Beslutsstöd som hittar patienter med risk för stroke",
            welfare_area="health_care",
        ),
        "hidden": make_case(
            "forslag", org_b, ["service-1"], title="Ett förslag", status=Case.Status.PROPOSED
        ),
    }


def test_search_finds_words_in_swedish(cases):
    assert [c.key for c in search_cases("handläggningstiden")] == ["e-tjanster"]
    assert [c.key for c in search_cases("stroke patienter")] == ["stroke"]
    assert list(search_cases("ingenting-som-finns")) == []


def test_search_matches_other_forms_of_a_word(cases):
    # PostgreSQL stems with its Swedish dictionary; SQLite matches the word as a prefix.
    assert [c.key for c in search_cases("e-tjänst")] == ["e-tjanster"]
    assert [c.key for c in search_cases("patient")] == ["stroke"]


def test_filters_narrow_the_list(cases):
    assert [c.key for c in search_cases(goal="service-1")] == ["e-tjanster"]
    assert [c.key for c in search_cases(welfare_area="health_care")] == ["stroke"]
    assert [c.key for c in search_cases(kind="region")] == ["stroke"]
    assert [c.key for c in search_cases(county="12")] == ["e-tjanster"]


def test_proposed_cases_are_not_public(client, cases):
    page = client.get(reverse("learning:library"))
    keys = [c.key for c in page.context["cases"]]
    assert "forslag" not in keys and "stroke" in keys
    assert client.get(reverse("learning:case_detail", args=["forslag"])).status_code == 404


def test_each_case_has_its_own_page(client, cases):
    page = client.get(reverse("learning:case_detail", args=["stroke"]))
    assert page.status_code == 200
    assert "Region Östergötland" in page.content.decode()


def test_a_bad_filter_is_explained(client, cases):
    result = client.get(reverse("learning:library"), {"welfare_area": "moon"})
    assert result.status_code == 400
    assert 'class="error-box"' in result.content.decode()


def test_a_coordinator_proposes_a_case_for_review(client_a, org_a, version):
    result = client_a.post(
        reverse("learning:propose_case"),
        {
            "title_sv": "Digital post",
            "welfare_area": "administration",
            "summary_sv": "Invånarna får brev digitalt.",
            "what_was_done_sv": "Vi anslöt till digital post.",
            "what_it_gave_sv": "Lägre portokostnader.",
            "contact": "Kommunikationsenheten",
            "link": "www.trelleborg.se",
            "goals": ["service-4"],
        },
    )
    assert result.status_code == 302
    case = Case.objects.get()
    assert case.status == Case.Status.PROPOSED
    assert case.organisation == org_a
    assert case.link == "https://www.trelleborg.se"
    assert list(case.goal_links.values_list("goal_key", flat=True)) == ["service-4"]


def test_an_incomplete_proposal_is_explained_and_stores_nothing(client_a, version):
    result = client_a.post(
        reverse("learning:propose_case"), {"title_sv": "Bara en titel", "goals": ["nope"]}
    )
    assert result.status_code == 400
    assert not Case.objects.exists()


def test_only_coordinators_propose_cases(version):
    assert Client().get(reverse("learning:propose_case")).status_code == 302
