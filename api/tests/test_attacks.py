"""The attacks of ``results/tests/test_attacks.py``, carried out against the API and the bulk
files, and shown to fail."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from results.tests.factories import link, make_round, publish, submit

from .test_same_figures import api_rows

pytestmark = pytest.mark.django_db
K = 5


def bulk_lines(client):
    answer = client.get(reverse("api:bulk_csv"))
    return list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))


def _year(scene):
    return scene.rounds[scene.trelleborg.pk].closed_early_at.year


def test_the_nation_minus_a_county_is_only_ever_whole_passing_organisations(client, scene):
    """Linköping has five submissions, but only one person rated the first goal area. No
    difference of two aggregates may yield that person."""
    year = _year(scene)
    rows = api_rows(client, f"/api/v1/data/municipality/0000,GL12,GL05,GKB3/year/{year}")
    by = {(r["kpi"], r["municipality"]): r["values"] for r in rows}
    first_area = scene.version.goal_areas.order_by("order").first()
    first_area_kpis = {f"DL{scene.version.pk}A{first_area.pk}"} | {
        f"DL{scene.version.pk}G{goal.pk}" for goal in first_area.goals.all()
    }
    for (kpi, where), values in by.items():
        if where != "0000":
            continue
        for nation, county in zip(values, by[(kpi, "GL12")], strict=True):
            # Only whole organisations differ, each passing on its own (and every figure is
            # perturbed, so even their difference is their figure plus noise).
            assert nation["count"] - county["count"] in (0, 1), (kpi, nation["gender"])
            if kpi in first_area_kpis and nation["gender"] == "T":
                # Linköping does not enter: the nation is Skåne's passing organisations, the
                # very same respondents, so the very same figure (the same cell key).
                assert nation == county and nation["value"] is not None
                assert by[(kpi, "GL05")][0]["status"] == ".."
                # Kommungrupp B3 (Trelleborg and Linköping) counts Trelleborg only.
                assert by[(kpi, "GKB3")][0]["count"] == 1
    # Linköping's own figure there is suppressed, in the API and in the bulk files.
    own = api_rows(client, f"/api/v1/data/kpi/{min(first_area_kpis)}/municipality/0580")
    assert own[0]["values"][0] == {
        "gender": "T",
        "count": 0,
        "status": "..",
        "value": None,
        "isdeleted": False,
        "x_n": None,
        "x_ci95": None,
    }
    lines = [
        line
        for line in bulk_lines(client)
        if line["municipality"] == "0580" and line["kpi"] in first_area_kpis
    ]
    assert lines and all(line["value"] == "" and line["status"] == ".." for line in lines)


def test_an_open_round_is_served_nowhere_until_it_is_published(client, org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 6, value=4)
    year = timezone.localdate().year
    kpi = f"DL{version.pk}A{version.goal_areas.first().pk}"
    before = client.get(f"/api/v1/data/kpi/{kpi}/municipality/1287,0000/year/{year}").json()
    # No published round uses the version yet: the KPI is not even known.
    assert before["values"] == [] and before["count"] == 0
    assert bulk_lines(client) == []
    submit(link(round_, "official"), 1, value=1)  # the known person
    publish(round_)
    after = client.get(f"/api/v1/data/kpi/{kpi}/municipality/1287,0000/year/{year}").json()
    # A new publication is served at once: the cached answer carried the old publication.
    own, nation = (row["values"][0] for row in after["values"])
    assert own["status"] == "" and own["value"] is not None
    # The nation is the one organisation's respondents: the same cell key, the same figure.
    assert nation["x_n"] == own["x_n"] and nation["value"] == own["value"]


def test_women_minus_key_persons_never_isolates_the_lone_woman_politician(client, org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 5, value=2, gender="man")
    submit(link(round_, "politician"), 1, value=5, gender="woman")  # the person to recover
    submit(link(round_, "official"), 6, value=3, gender="man")
    submit(link(round_, "key_person"), 5, value=4, gender="woman")
    publish(round_)
    groups = {g.key: g.pk for g in version.target_groups.all()}
    rows = api_rows(client, f"/api/v1/data/municipality/1287/year/{timezone.localdate().year}")
    by = {r["kpi"]: r["values"] for r in rows}
    checked = 0
    for kpi, values in by.items():
        if "T" in kpi[2:]:
            continue
        if by[f"{kpi}T{groups['key_person']}"][0]["value"] is not None:
            women = next(v for v in values if v["gender"] == "K")
            assert women["value"] is None and women["status"] == ".."
            checked += 1
    assert checked == 25
    women_lines = [line for line in bulk_lines(client) if line["gender"] == "K"]
    assert women_lines and all(line["value"] == "" for line in women_lines)


def test_empty_submissions_do_not_count_towards_the_threshold(client, org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 4, value=3)
    submit(link(round_, "official"), 1, value=None)  # "don't know" to everything
    publish(round_)
    rows = api_rows(client, f"/api/v1/data/municipality/1287,0000/year/{timezone.localdate().year}")
    assert rows and all(v["value"] is None for row in rows for v in row["values"])


def test_nothing_served_has_more_precision_than_the_page(client, scene):
    rows = api_rows(client, f"/api/v1/data/municipality/0000,1287,1280,GL12/year/{_year(scene)}")
    numbers = [
        number
        for row in rows
        for v in row["values"]
        for number in [v["value"], *(v["x_ci95"] or [])]
        if number is not None
    ]
    assert numbers and all(round(number, 1) == number for number in numbers)
    for line in bulk_lines(client):
        for column in ("value", "x_ci95_low", "x_ci95_high"):
            assert line[column] == "" or len(line[column].split(".")[1]) == 1


def test_a_group_that_all_answered_alike_does_not_look_so_in_the_bulk_file(client, org_a, version):
    """Homogeneity (issue 21): five officials all answer 1. Before the noise, the public bulk
    file said "1,0 (1,0–1,0)" and so told everyone every member's answer. Now no interval is
    a point and not every mean reads as all-ones; the API says the same."""
    round_ = make_round(org_a, version)
    submit(link(round_, "official"), 5, value=1)
    publish(round_)
    lines = [line for line in bulk_lines(client) if line["municipality"] == "1287"]
    shown = [line for line in lines if line["value"]]
    assert shown
    for line in shown:
        assert float(line["x_ci95_low"]) < float(line["x_ci95_high"]), line
    assert any(float(line["value"]) > 1.0 for line in shown)
    kpi = shown[0]["kpi"]
    (row,) = api_rows(client, f"/api/v1/data/kpi/{kpi}/municipality/1287")
    total = row["values"][0]
    assert total["x_ci95"][0] < total["x_ci95"][1]
