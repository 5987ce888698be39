import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_org
from learning.library import search_cases, search_library
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


def test_a_word_typed_without_a_ring_or_dots_is_found_and_the_search_says_it_widened(cases):
    search = search_library("bistand")
    assert [c.key for c in search.cases] == ["e-tjanster"] and search.widened
    search = search_library("bistånd")
    assert [c.key for c in search.cases] == ["e-tjanster"] and not search.widened
    assert [c.key for c in search_cases("ostergotland")] == ["stroke"]  # the organisation too


def test_a_small_typo_is_forgiven_but_a_different_word_is_not(cases):
    assert [c.key for c in search_cases("bistnd")] == ["e-tjanster"]
    assert [c.key for c in search_cases("handlaggningstiden ekonomsikt")] == ["e-tjanster"]
    assert list(search_cases("fotboll")) == []


def test_true_cases_come_before_made_up_ones(cases):
    make_case(
        "anna",
        None,
        ["service-1"],
        title="Allra först i bokstavsordning",
        summary_sv="Ett påhittat exempel om stroke.",
        is_illustrative=True,
        example_organisation="Exempelkommun",
    )
    assert [c.key for c in search_cases()] == ["stroke", "e-tjanster", "anna"]
    page = Client().get(reverse("learning:library"))  # the page without a search too
    assert [c.key for c in page.context["cases"]] == ["stroke", "e-tjanster", "anna"]
    assert [c.key for c in search_cases("stroke")] == ["stroke", "anna"]
    assert [c.key for c in search_cases("strok")] == ["stroke", "anna"]


def test_the_folded_copy_follows_every_change(cases, org_a):
    case = cases["e"]
    case.summary_sv = "Nu handlar det om äldreomsorg."
    case.save(update_fields=["summary_sv"])
    assert "aldreomsorg" in Case.objects.get(pk=case.pk).search_text
    org_a.name = "Trälleborg"
    org_a.save()
    assert "tralleborg" in Case.objects.get(pk=case.pk).search_text


def test_the_page_says_when_it_widened_the_search(client, cases):
    page = client.get(reverse("learning:library"), {"q": "bistand"})
    assert [c.key for c in page.context["cases"]] == ["e-tjanster"]
    assert "Inget matchade ”bistand” exakt" in page.content.decode()
    page = client.get(reverse("learning:library"), {"q": "bistånd"})
    assert "Inget matchade" not in page.content.decode()
