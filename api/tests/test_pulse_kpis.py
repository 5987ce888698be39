"""The resident pulse in the open data: one KPI per statement (the share who agree), served by
the Kolada-shaped endpoints and the bulk files exactly as the pulse's own page publishes it,
hidden figures marked and never leaked; the country and the groups made from the published
figures of the organisations whose own figure is shown."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from frictionless import validate

from api.v1 import DataPage, KpiGroupPage, KpiPage
from pulse.figures import pooled_share
from pulse.models import PulseFigure
from pulse.pulses import close_early

from .conftest import answer_pulse, open_pulse
from .test_same_figures import api_rows

pytestmark = pytest.mark.django_db


def statement_kpis(pulse) -> dict:
    """{kpi id: statement} of the pulse's questionnaire."""
    return {f"DL{pulse.version_id}R{s.pk}": s for s in pulse.version.statements.all()}


def published(pulse) -> dict:
    """{(kpi id, gender letter): PulseFigure} as the pulse's publication holds them."""
    letters = {"": "T", "woman": "K", "man": "M"}
    return {
        (f"DL{pulse.version_id}R{f.statement_id}", letters[f.group]): f
        for f in PulseFigure.objects.filter(publication__pulse=pulse, breakdown__in=["", "gender"])
    }


def test_each_statement_is_a_kpi_that_says_its_sample_is_self_selected(client, pulse_scene):
    kpis = statement_kpis(pulse_scene.trelleborg)
    body = client.get("/api/v1/kpi?per_page=5000").json()
    KpiPage.model_validate(body)
    served = {k["id"]: k for k in body["values"] if k["x_unit_kind"] == "statement"}
    assert set(served) == set(kpis) and len(kpis) >= 10
    assert body["count"] == 100 + len(kpis)  # beside the rounds' KPIs, unchanged
    for kpi_id, statement in kpis.items():
        kpi = served[kpi_id]
        assert kpi["x_unit_key"] == statement.key
        assert kpi["perspective"] == "Invånarpuls" and kpi["operating_area"] == "Invånarpuls"
        assert kpi["x_operating_area_en"] == "Resident pulse"
        assert kpi["x_scale"] == {"min": 0, "max": 100}
        assert kpi["is_divided_by_gender"] and kpi["x_target_group"] is None
        assert kpi["x_framework_version"] == "invanarpuls:1"
        assert kpi["title"].startswith("Andel som instämmer: ")
        assert kpi["x_title_en"].startswith("Share who agree: ")
        assert "{organisation}" not in kpi["title"] + kpi["x_title_en"]
        assert "självselekterat" in kpi["description"]
        assert "self-selected" in kpi["x_description_en"]
        assert (
            kpi["publication_date"] == pulse_scene.trelleborg.publication.published_on.isoformat()
        )
        assert kpi["publ_period"] == str(pulse_scene.year)
    lives_up = next(k for k, s in kpis.items() if s.key == "lever-upp")
    assert served[lives_up]["title"] == (
        "Andel som instämmer: Kommunen eller regionen lever upp till mina förväntningar på "
        "digital service."
    )
    # Found as Kolada's clients search: by the operating area, and as one group of KPIs.
    found = client.get("/api/v1/kpi", {"operating_area": "Invånarpuls"}).json()["values"]
    assert {k["id"] for k in found} == set(kpis)
    groups = client.get(f"/api/v1/kpi_groups/GDL{pulse_scene.trelleborg.version_id}R").json()
    KpiGroupPage.model_validate(groups)
    (group,) = groups["values"]
    assert group["title"] == "Invånarpuls" and group["x_title_en"] == "Resident pulse"
    assert [m["member_id"] for m in group["members"]] == list(kpis)


def test_an_organisations_values_are_its_published_shares_and_hidden_ones_are_marked(
    client, pulse_scene
):
    checked = {"shown": 0, "suppressed": 0}
    for pulse in (pulse_scene.trelleborg, pulse_scene.malmo, pulse_scene.linkoping):
        code = pulse.organisation.code.zfill(4)
        kpis = ",".join(statement_kpis(pulse))
        body = client.get(f"/api/v1/data/kpi/{kpis}/municipality/{code}").json()
        DataPage.model_validate(body)
        figures = published(pulse)
        served = set()
        for row in body["values"]:
            assert row["period"] == pulse_scene.year and row["x_round_kind"] is None
            assert row["x_framework_version"] == "invanarpuls:1"
            for value in row["values"]:
                figure = figures[(row["kpi"], value["gender"])]
                served.add((row["kpi"], value["gender"]))
                if figure.status == PulseFigure.Status.SHOWN:
                    assert value == {
                        "gender": value["gender"],
                        "count": 1,
                        "status": "",
                        "value": float(figure.shown_percent),
                        "isdeleted": False,
                        "x_n": figure.shown_respondents,
                        "x_ci95": None,
                    }
                    checked["shown"] += 1
                else:
                    assert value == {
                        "gender": value["gender"],
                        "count": 0,
                        "status": "..",
                        "value": None,
                        "isdeleted": False,
                        "x_n": None,
                        "x_ci95": None,
                    }
                    checked["suppressed"] += 1
        # Every published figure of the pulse, T, K and M, once; age bands are not served.
        assert served == set(figures)
    statements = len(statement_kpis(pulse_scene.trelleborg))
    # Trelleborg: T, K, M shown; Malmö: T shown, its lone man hides K and M; Linköping: T hidden.
    assert checked == {"shown": 4 * statements, "suppressed": 3 * statements}
    # The pulse's own page shows the same share.
    kpi, statement = next(iter(statement_kpis(pulse_scene.trelleborg).items()))
    figure = published(pulse_scene.trelleborg)[(kpi, "T")]
    page = Client().get(reverse("pulse:results", args=[pulse_scene.trelleborg.pk]))
    assert f"{figure.shown_percent}\u00a0%" in page.content.decode()


def test_the_country_and_groups_are_made_from_the_shown_figures_of_whole_organisations(
    client, pulse_scene
):
    """Rule 6: an organisation enters only where its own figure is shown, and the pooled
    value is a function of published figures (the shares weighted by the respondents), so
    the difference of two levels is whole organisations' published figures, nothing more."""
    trelleborg, malmo = published(pulse_scene.trelleborg), published(pulse_scene.malmo)
    kpis = statement_kpis(pulse_scene.trelleborg)
    rows = api_rows(client, f"/api/v1/data/kpi/{','.join(kpis)}/municipality/0000,GL12,GKB3,GL05")
    by = {(r["kpi"], r["municipality"]): {v["gender"]: v for v in r["values"]} for r in rows}
    for kpi in kpis:
        t_parts = [
            (f.shown_percent, f.shown_respondents)
            for f in (trelleborg[(kpi, "T")], malmo[(kpi, "T")])
        ]
        percent, n = pooled_share(t_parts)
        nation = by[(kpi, "0000")]
        assert (nation["T"]["value"], nation["T"]["x_n"], nation["T"]["count"]) == (percent, n, 2)
        # Malmö's genders are hidden: the country's women are Trelleborg's women, the same figure.
        for letter in ("K", "M"):
            own = trelleborg[(kpi, letter)]
            assert (nation[letter]["value"], nation[letter]["x_n"], nation[letter]["count"]) == (
                own.shown_percent,
                own.shown_respondents,
                1,
            )
        # Skåne (Trelleborg and Malmö, the region has no pulse) is the country here.
        assert by[(kpi, "GL12")] == nation
        # Kommungrupp B3: Trelleborg and Linköping, whose figure is hidden: Trelleborg alone.
        b3 = by[(kpi, "GKB3")]["T"]
        assert (b3["value"], b3["count"]) == (trelleborg[(kpi, "T")].shown_percent, 1)
        # Östergötland: Linköping only, hidden; it has no gender figures at all.
        assert by[(kpi, "GL05")] == {
            "T": {
                "gender": "T",
                "count": 0,
                "status": "..",
                "value": None,
                "isdeleted": False,
                "x_n": None,
                "x_ci95": None,
            }
        }


def test_the_bulk_files_hold_the_same_figures_and_still_validate(client, pulse_scene, tmp_path):
    for name, filename in (
        ("api:bulk_csv", "figures.csv"),
        ("api:bulk_json", "figures.json"),
        ("api:bulk_datapackage", "datapackage.json"),
    ):
        answer = client.get(reverse(name))
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        (tmp_path / filename).write_bytes(body)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "fieldName", "rowNumber"])
    lines = list(csv.DictReader(io.StringIO((tmp_path / "figures.csv").read_text())))
    records = json.loads((tmp_path / "figures.json").read_text())
    assert len(records) == len(lines)
    pulse_lines = [line for line in lines if "R" in line["kpi"]]
    expected = {}
    for pulse in (pulse_scene.trelleborg, pulse_scene.malmo, pulse_scene.linkoping):
        for (kpi, letter), figure in published(pulse).items():
            expected[(kpi, pulse.organisation.code.zfill(4), letter)] = figure
    assert {(x["kpi"], x["municipality"], x["gender"]) for x in pulse_lines} == set(expected)
    assert len(pulse_lines) == len(expected)
    for line in pulse_lines:
        figure = expected[(line["kpi"], line["municipality"], line["gender"])]
        shown = figure.status == PulseFigure.Status.SHOWN
        assert line["status"] == ("" if shown else "..")
        assert line["value"] == (f"{figure.shown_percent}.0" if shown else "")
        assert line["x_n"] == (str(figure.shown_respondents) if shown else "")
        assert line["x_ci95_low"] == line["x_ci95_high"] == line["x_round_kind"] == ""
        assert line["x_framework_version"] == "invanarpuls:1"
        assert line["x_round_closed"] == pulse_scene.trelleborg.closed_early_on.isoformat()


def test_a_pulse_publication_changes_the_etag_and_is_served_at_once(client, pulse_scene):
    first = client.get("/api/v1/kpi")
    bulk = client.get(reverse("api:bulk_csv"))
    second = open_pulse(pulse_scene.trelleborg.organisation)
    answer_pulse(second, 5, 5)
    close_early(second)
    assert client.get("/api/v1/kpi", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    answer = client.get(reverse("api:bulk_csv"), HTTP_IF_NONE_MATCH=bulk["ETag"])
    assert answer.status_code == 200
    # The same year: the later pulse is served, as for rounds; the bulk file keeps both.
    kpi = next(iter(statement_kpis(second)))
    (row,) = client.get(f"/api/v1/data/kpi/{kpi}/municipality/1287").json()["values"]
    assert row["values"][0]["value"] == float(published(second)[(kpi, "T")].shown_percent)
    lines = csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode()))
    # T, K and M of the first pulse; T of the second (no gender given).
    assert sum(1 for x in lines if x["kpi"] == kpi and x["municipality"] == "1287") == 3 + 1


def test_the_docs_page_explains_the_pulse_with_an_example_that_exists(client, pulse_scene):
    text = client.get("/api/").content.decode()
    kpi = next(iter(statement_kpis(pulse_scene.trelleborg)))
    assert f"data/kpi/{kpi}/municipality/" in text
    assert 'id="resident-pulse"' in text and "självselekterat" in text
