"""The Kolada clients people already have, run unchanged against a live server with published
data: only their base URL is set (koladapy's constructor argument, pykolada's module constant).
Every public call either works and gives the figures the results pages show, or — for Kolada's
organisational units, which Digilyft does not have — gets an empty, well-formed answer.
The API docs page lists the same calls and results (``api/templates/api/docs.html``)."""

import html
import re
import shutil
import subprocess
import urllib.request
from datetime import timedelta

import pykolada
import pykolada.pykolada as pykolada_module
import pytest
from django.utils import timezone
from koladapy import KoladaAPI
from koladapy.exceptions import KoladaAPIError

from api.identifiers import municipality_id
from api.tests.test_same_figures import page_figures
from api.views import _example_ids
from pulse.models import PulseFigure

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def base(live_server, scene, settings):
    settings.DIGILYFT_API_RATE_LIMIT = 0  # the clients' many requests are not the point here
    return live_server.url + "/api/v1/"


def _ids(scene):
    area = scene.version.goal_areas.order_by("order").last()
    goal = area.goals.order_by("order").first()
    year = scene.rounds[scene.trelleborg.pk].closed_early_at.year
    v = scene.version.pk
    return area, goal, f"DL{v}G{goal.pk}", f"DL{v}A{area.pk}", year


def _shown(scene, kpi, gender="T"):
    """The figure Trelleborg's results page shows."""
    return page_figures(scene.rounds[scene.trelleborg.pk])[(kpi, gender)]


@pytest.fixture
def koladapy_client(base):
    kolada = KoladaAPI(base_url=base)
    yield kolada
    # Its kept-alive connection would keep a server thread, and its database session, open.
    kolada.session.close()


def test_koladapy_works_unchanged(base, scene, koladapy_client):
    area, goal, goal_kpi, area_kpi, year = _ids(scene)
    kolada = koladapy_client

    kpis = kolada.search_kpis()
    assert len(kpis) == 100 and all(k["publication_date"] for k in kpis)
    assert {k["id"] for k in kolada.search_kpis(query="ledande tjänstepersoner")} == {
        k["id"] for k in kpis if k["x_target_group"] == "official"
    }
    in_area = kolada.search_kpis(operating_area=area.name_sv)
    assert goal_kpi in {k["id"] for k in in_area} and area_kpi in {k["id"] for k in in_area}
    today = timezone.localdate().isoformat()
    assert len(kolada.search_kpis(publication_date=today)) == 100
    assert kolada.get_kpi(goal_kpi)["title"] == goal.name_sv
    assert [k["id"] for k in kolada.get_kpis([goal_kpi, area_kpi])] == [goal_kpi, area_kpi]
    assert len(kolada.get_kpis([k["id"] for k in kpis[:30]])) == 30  # batched by 25

    groups = kolada.get_kpi_groups()
    assert f"GDL{scene.version.pk}P" in {g["id"] for g in groups}
    group = kolada.get_kpi_group(f"GDL{scene.version.pk}A{area.pk}")
    assert goal_kpi in {m["member_id"] for m in group["members"]}
    assert kolada.get_kpi_groups(query=area.name_sv)[0]["title"] == area.name_sv

    everyone = kolada.get_municipalities()
    assert [m["id"] for m in everyone] == ["0000", "0012", "0580", "1280", "1287"]
    municipalities = kolada.get_municipalities(municipality_type="K")
    assert [m["id"] for m in municipalities] == ["0580", "1280", "1287"]
    assert [m["id"] for m in kolada.get_municipalities(query="malmö")] == ["1280"]
    assert kolada.get_municipality("1287")["title"] == scene.trelleborg.name
    assert {g["id"] for g in kolada.get_municipality_groups()} == {"GKA1", "GKB3", "GL05", "GL12"}
    assert [m["id"] for m in kolada.get_municipality_group("GKB3")["members"]] == ["0580", "1287"]

    assert kolada.get_organizational_units() == []
    assert kolada.get_organizational_units(query="skola", municipality="1287") == []
    with pytest.raises(KoladaAPIError, match="not found"):
        kolada.get_organizational_unit("V15E144001101")  # an empty answer: the client's words

    rows = kolada.get_values(kpi_id=goal_kpi, municipality_id="1287", years=year)
    (row,) = rows
    total = row["values"][0]
    figure = _shown(scene, goal_kpi)
    assert (total["value"], total["x_n"], total["status"]) == (figure.mean, figure.respondents, "")
    assert kolada.get_values(kpi_id=[goal_kpi], municipality_id=["1287", "1280"], years=[year])
    assert kolada.get_values(kpi_id=goal_kpi, municipality_id="1287", updated_since=today) == rows
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert kolada.get_values(kpi_id=goal_kpi, years=year, updated_since=tomorrow) == []
    assert kolada.get_values(kpi_id=goal_kpi, ou_id="V15E144001101") == []

    frame = kolada.get_data_as_dataframe(
        kpi_id=goal_kpi, municipality_id="1287", years=year, include_metadata=True
    )
    by_gender = frame.set_index("gender")
    assert by_gender.loc["T", "value"] == figure.mean
    assert by_gender.loc["T", "municipality"] == "1287"
    assert by_gender.loc["T", "kpi_title"] == goal.name_sv
    assert by_gender.loc["T", "municipality_title"] == scene.trelleborg.name


def test_pykolada_works_unchanged(base, scene, monkeypatch):
    monkeypatch.setattr(pykolada_module, "BASE_URL", base)
    area, goal, goal_kpi, area_kpi, year = _ids(scene)

    kpis = pykolada.get_kpi()
    assert len(kpis) == 100
    assert [k["id"] for k in pykolada.get_kpi(id=goal_kpi)] == [goal_kpi]
    assert len(pykolada.get_kpi(title="ledande tjänstepersoner")) == 25
    assert len(pykolada.get_kpi(description="ledande tjänstepersoner")) == 25
    in_area = {k["id"] for k in pykolada.get_kpi(operating_area=area.name_sv)}
    assert goal_kpi in in_area and len(in_area) < len(kpis)
    assert pykolada.query("kpi", title=goal.name_sv)[0]["id"].startswith(goal_kpi)

    groups = pykolada.get_kpi_groups()
    assert [g["id"] for g in pykolada.get_kpi_groups(id=groups[0]["id"])] == [groups[0]["id"]]
    assert pykolada.get_kpi_groups(title=area.name_sv)[0]["title"] == area.name_sv

    assert len(pykolada.get_municipality()) == 5
    assert pykolada.get_municipality(id="1287")[0]["title"] == scene.trelleborg.name
    assert [m["id"] for m in pykolada.get_municipality(title="malmö")] == ["1280"]
    assert len(pykolada.get_municipality_groups()) == 4
    assert pykolada.get_municipality_groups(id="GL12")[0]["members"]
    assert pykolada.get_municipality_groups(title="B3")[0]["id"] == "GKB3"
    assert pykolada.get_ou() == [] and pykolada.get_ou(id="V15E144001101") == []
    assert pykolada.get_ou(title="skola") == []

    figure = _shown(scene, goal_kpi)
    rows = pykolada.get_data(kpi=goal_kpi, municipality="1287", year=[year])
    total = next(r for r in rows if r["gender"] == "T")
    assert (total["value"], total["year"], total["municipality"]) == (figure.mean, year, "1287")
    # Its default years (1970–2024) are accepted; the rounds here closed later: no rows.
    assert pykolada.get_data(kpi=goal_kpi, municipality="1287") == [
        r for r in rows if r["year"] <= 2024
    ]
    every = pykolada.get_data(kpi=[goal_kpi, area_kpi], year=year)
    assert {r["municipality"] for r in every} == {"0000", "0012", "0580", "1280", "1287"}
    assert pykolada.get_oudata(kpi=goal_kpi, ou="V15E144001101") == []

    # Its pagination follows next_page to the end.
    paged = pykolada._make_request(base + f"data/kpi/{goal_kpi},{area_kpi}/year/{year}?per_page=3")
    assert len(paged) == len({(r["kpi"], r["municipality"]) for r in paged}) > 3
    assert len(paged) == len(
        pykolada._make_request(base + f"data/kpi/{goal_kpi},{area_kpi}/year/{year}")
    )
    assert len(pykolada._get_all_data("municipality_groups")) == 4


def test_the_docs_pages_python_and_r_examples_run_as_shown(
    base, scene, live_server, client, capsys
):
    """Datasette's habit: the docs page is the source, so its examples stay true."""
    page = urllib.request.urlopen(live_server.url + "/api/").read().decode()
    examples = _page_examples(page, "python")
    assert len(examples) == 2
    for code in examples:
        namespace = {}
        exec(compile(code, "docs example", "exec"), namespace)  # noqa: S102 — our page's code
        for value in namespace.values():  # close the example client's kept-alive connection
            if isinstance(value, KoladaAPI):
                value.session.close()
    printed = capsys.readouterr().out
    ids = _example_ids()  # the ids the page's examples use
    (row,) = client.get(
        f"/api/v1/data/kpi/{ids['goal']}/municipality/{ids['org']}/year/{ids['year']}"
    ).json()["values"]
    assert ids["goal"] in printed and ids["org"] in printed
    for value in row["values"]:  # koladapy printed the API's values, shown or suppressed
        assert str(value["value"]) in printed and value["status"] in printed
    # The table of client calls names every call the two tests above make.
    for call in ("get_values", "get_data_as_dataframe", "get_organizational_unit", "get_oudata"):
        assert call in page

    # The R example, with base R only, reads the bulk file from the same live server.
    (r_code,) = _page_examples(page, "r")
    assert ids["goal"] in r_code and live_server.url in r_code
    organisations = [scene.trelleborg, scene.malmo, scene.linkoping, scene.skane]
    codes = ",".join(municipality_id(org.code) for org in organisations)
    assert "0012" in codes and "0580" in codes  # codes whose leading zeros must stay
    served = client.get(
        f"/api/v1/data/kpi/{ids['goal']}/municipality/{codes}/year/{ids['year']}"
    ).json()["values"]
    expected = {
        entry["municipality"]: (total["value"], total["x_n"], total["status"])
        for entry in served
        for total in entry["values"]
        if total["gender"] == "T"
    }
    assert len(expected) == len(organisations)
    # …and the API's figures are the results page's (Trelleborg's shown one, at least).
    assert expected[municipality_id(scene.trelleborg.code)][0] == _shown(scene, ids["goal"]).mean
    assert _run_r(r_code) == expected


def _page_examples(page: str, language: str) -> list[str]:
    pattern = rf'<code data-example="{language}">(.*?)</code>'
    return [html.unescape(code) for code in re.findall(pattern, page, re.S)]


def _run_r(code: str) -> dict:
    """Runs an R example with Rscript and reads the table it prints: one row per organisation,
    municipality, value, x_n and status (absent when empty); NA is R's missing value."""
    rscript = shutil.which("Rscript")
    assert rscript, "R is missing: sh scripts/ensure-system-packages.sh test installs it"
    done = subprocess.run(  # noqa: S603 — our page's code, run by the R from Debian
        [rscript, "--vanilla", "-e", code], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    header, *lines = done.stdout.splitlines()
    assert header.split() == ["municipality", "value", "x_n", "status"], done.stdout
    printed = {}
    for line in lines:
        municipality, value, x_n, *status = line.split()
        printed[municipality] = (
            None if value == "NA" else float(value),
            None if x_n == "NA" else int(x_n),
            status[0] if status else "",
        )
    return printed


def test_the_clients_read_the_resident_pulse_unchanged(
    base, pulse_scene, koladapy_client, monkeypatch
):
    """The pulse's KPIs go through the same client calls: found by their operating area,
    their values the published share, the country's row beside the organisations'."""
    pulse = pulse_scene.trelleborg
    statement = pulse.version.statements.get(key="lever-upp")
    kpi = f"DL{pulse.version_id}R{statement.pk}"
    figure = PulseFigure.objects.get(publication__pulse=pulse, statement=statement, breakdown="")
    year = pulse_scene.year
    kolada = koladapy_client

    found = kolada.search_kpis(operating_area="Invånarpuls")
    assert kpi in {k["id"] for k in found} and len(found) == pulse.version.statements.count()
    assert kolada.get_kpi(kpi)["x_scale"] == {"min": 0, "max": 100}
    assert kpi in {
        m["member_id"] for m in kolada.get_kpi_group(f"GDL{pulse.version_id}R")["members"]
    }
    (row,) = kolada.get_values(kpi_id=kpi, municipality_id="1287", years=year)
    total = row["values"][0]
    assert (total["value"], total["x_n"], total["status"]) == (
        figure.shown_percent,
        figure.shown_respondents,
        "",
    )
    frame = kolada.get_data_as_dataframe(
        kpi_id=kpi, municipality_id="1287", years=year, include_metadata=True
    )
    by_gender = frame.set_index("gender")
    assert by_gender.loc["T", "value"] == figure.shown_percent
    assert by_gender.loc["T", "kpi_title"].startswith("Andel som instämmer: Kommunen")
    assert set(by_gender.index) == {"T", "K", "M"}

    monkeypatch.setattr(pykolada_module, "BASE_URL", base)
    rows = pykolada.get_data(kpi=kpi, municipality="1287", year=[year])
    total = next(r for r in rows if r["gender"] == "T")
    assert (total["value"], total["year"]) == (figure.shown_percent, year)
    every = pykolada.get_data(kpi=kpi, year=year)
    assert {r["municipality"] for r in every} == {"0000", "0580", "1280", "1287"}
    assert [k["id"] for k in pykolada.get_kpi(id=kpi)] == [kpi]
