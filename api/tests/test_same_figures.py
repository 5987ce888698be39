"""Every figure the API and the bulk files serve is the one the pages show, and nothing a page
suppresses is served."""

import csv
import io
import json

import pytest
from django.urls import reverse

from api.identifiers import municipality_id
from results.figures import round_results
from results.models import PublishedFigure

pytestmark = pytest.mark.django_db

GENDER_KEYS = {"K": "woman", "M": "man"}


def page_figures(round_) -> dict:
    """{(kpi id, gender letter): Figure} from the round's results page."""
    results = round_results(round_)
    v = round_.version_id
    figures = {}
    for letter, rows in (("A", results.areas), ("G", results.goals), ("P", results.prerequisites)):
        for row in rows:
            kpi = f"DL{v}{letter}{row.unit.pk}"
            figures[(kpi, "T")] = row.total
            for gender_letter, key in GENDER_KEYS.items():
                figures[(kpi, gender_letter)] = row.by_gender[key]
            for group_id, figure in row.by_group.items():
                figures[(f"{kpi}T{group_id}", "T")] = figure
    return figures


def assert_same(served: dict, figure, where):
    if figure.estimate is None:
        # Suppressed or hidden by the linked-table rule: no number at all. A figure with
        # nobody behind it is not served at all (no value, as in Kolada).
        assert figure.suppressed, where
        assert served["value"] is None and served["x_ci95"] in (None, "") and not served["count"]
        assert served["status"] == "..", where
        assert served["x_n"] in (None, "", 0), where
    else:
        assert served["value"] == figure.mean, where
        assert [served["x_ci95"][0], served["x_ci95"][1]] == [figure.low, figure.high], where
        assert served["x_n"] == figure.respondents, where
        assert served["status"] == "" and served["count"] == 1, where


def existing(pages: dict) -> set:
    """(kpi, municipality, gender) of every figure a page shows or suppresses."""
    return {
        (kpi, municipality, gender)
        for municipality, figures in pages.items()
        for (kpi, gender), figure in figures.items()
        if figure.suppressed or figure.estimate is not None
    }


def api_rows(client, path):
    rows, url = [], path
    while url:
        answer = client.get(url).json()
        rows.extend(answer["values"])
        url = answer["next_url"]
    return rows


def test_every_organisation_figure_served_is_the_one_on_its_results_page(client, scene):
    orgs = [scene.trelleborg, scene.malmo, scene.linkoping, scene.skane]
    ids = ",".join(municipality_id(o.code) for o in orgs)
    years = ",".join(sorted({str(r.closed_early_at.year) for r in scene.rounds.values()}))
    rows = api_rows(client, f"/api/v1/data/municipality/{ids}/year/{years}?per_page=97")
    pages = {municipality_id(o.code): page_figures(scene.rounds[o.pk]) for o in orgs}
    suppressed_seen = 0
    served = set()
    for row in rows:
        page = pages[row["municipality"]]
        assert row["values"], row  # a row with nothing published is not served
        for value in row["values"]:
            figure = page[(row["kpi"], value["gender"])]
            assert_same(value, figure, (row["kpi"], row["municipality"], value["gender"]))
            assert value["isdeleted"] is False
            suppressed_seen += figure.suppressed
            served.add((row["kpi"], row["municipality"], value["gender"]))
    # Every figure a page shows or suppresses is served, once; nothing else is.
    assert served == existing(pages) and len(served) == sum(len(r["values"]) for r in rows)
    assert suppressed_seen > 50  # the scene has much to suppress; all of it checked above


def test_the_whole_country_is_the_national_dashboard(client, scene, staff_client):
    picture = staff_client.get(reverse("results:national")).context["picture"]
    year = scene.rounds[scene.trelleborg.pk].closed_early_at.year
    kpis = ",".join(f"DL{scene.version.pk}G{goal.pk}" for goal in picture.goals)
    rows = api_rows(client, f"/api/v1/data/kpi/{kpis}/municipality/0000/year/{year}")
    assert len(rows) == len(picture.goals) == 16
    for row, goal in zip(rows, picture.goals, strict=True):
        total = row["values"][0]
        national = picture.national[goal.pk]
        assert total["value"] == national.mean
        assert total["x_n"] == national.respondents
        assert total["x_ci95"] == [national.low, national.high]
        # Each organisation's own page shows the same national comparison.
        page = round_results(scene.rounds[scene.trelleborg.pk])
        compared = next(r for r in page.goals if r.unit == goal).comparisons["national"]
        assert total["value"] == compared.mean


def _number(text):
    return None if text == "" else float(text)


def test_the_bulk_files_hold_the_page_figures_and_nothing_suppressed(client, scene):
    pages = {
        municipality_id(o.code): page_figures(scene.rounds[o.pk])
        for o in (scene.trelleborg, scene.malmo, scene.linkoping, scene.skane)
    }
    answer = client.get(reverse("api:bulk_csv"))
    lines = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    stored = PublishedFigure.objects.filter(gender__in=["", "woman", "man"]).count()
    # Every stored figure of T, K and M that is shown or suppressed, once each.
    keys = {(line["kpi"], line["municipality"], line["gender"]) for line in lines}
    assert keys == existing(pages) and len(lines) == len(keys)
    assert stored >= len(lines) > 300
    for line in lines:
        served = {
            "value": _number(line["value"]),
            "x_ci95": (
                [_number(line["x_ci95_low"]), _number(line["x_ci95_high"])]
                if line["x_ci95_low"]
                else None
            ),
            "x_n": int(line["x_n"]) if line["x_n"] else None,
            "status": line["status"],
            "count": int(line["count"]),
        }
        figure = pages[line["municipality"]][(line["kpi"], line["gender"])]
        assert_same(served, figure, line)
    answer = client.get(reverse("api:bulk_json"))
    records = json.loads(b"".join(answer.streaming_content))
    assert len(records) == len(lines)
    for record in records:
        figure = pages[record["municipality"]][(record["kpi"], record["gender"])]
        record["x_ci95"] = (
            [record["x_ci95_low"], record["x_ci95_high"]] if record["x_ci95_low"] else None
        )
        assert_same(record, figure, record)
