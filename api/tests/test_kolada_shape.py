"""What Kolada's clients rely on, in-process: the item endpoints, the query-string data form,
parameters honoured or refused by name, KPI metadata, CORS and the language of errors."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _year(scene):
    return scene.rounds[scene.trelleborg.pk].closed_early_at.year


def _goal(scene):
    goal = scene.version.goal_areas.order_by("order").last().goals.order_by("order").first()
    return f"DL{scene.version.pk}G{goal.pk}"


def test_item_endpoints_answer_in_the_envelope(client, scene):
    kpi = _goal(scene)
    body = client.get(f"/api/v1/kpi/{kpi},DL999G1").json()
    assert [k["id"] for k in body["values"]] == [kpi] and body["count"] == 1
    ids = [m["id"] for m in client.get("/api/v1/municipality/1287,0012,9999").json()["values"]]
    assert ids == ["1287", "0012"]
    (group,) = client.get("/api/v1/municipality_groups/GKB3").json()["values"]
    assert [m["id"] for m in group["members"]] == ["0580", "1287"]


def test_kpi_groups_are_the_goal_areas_and_the_prerequisites(client, scene):
    groups = client.get("/api/v1/kpi_groups").json()["values"]
    areas = list(scene.version.goal_areas.all())
    assert len(groups) == len(areas) + 1
    members = [m["member_id"] for g in groups for m in g["members"]]
    assert len(members) == len(set(members)) == 100  # every KPI in exactly one group
    area = areas[0]
    (one,) = client.get(f"/api/v1/kpi_groups/GDL{scene.version.pk}A{area.pk}").json()["values"]
    assert one["title"] == area.name_sv
    goals = {f"DL{scene.version.pk}G{g.pk}" for g in area.goals.all()}
    assert goals <= {m["member_id"] for m in one["members"]}


def test_kpi_metadata_has_kolada_fields_with_honest_values(client, scene):
    (kpi,) = client.get(f"/api/v1/kpi/{_goal(scene)}").json()["values"]
    publication = scene.rounds[scene.trelleborg.pk].publication
    assert kpi["publication_date"] == publication.published_on.isoformat()
    assert kpi["publ_period"] == str(_year(scene))
    assert kpi["has_ou_data"] is False and kpi["auspice"] == "" and kpi["perspective"]


def test_ou_and_oudata_are_empty_and_well_formed(client, scene):
    for path in (
        "/api/v1/ou",
        "/api/v1/ou/V15E144001101",
        f"/api/v1/oudata/kpi/{_goal(scene)}/ou/V15E144001101/year/2026",
        f"/api/v1/oudata/?kpi_id={_goal(scene)}&ou_id=V1",
    ):
        body = client.get(path).json()
        assert body["values"] == [] and body["count"] == body["x_total"] == 0, path


def test_the_query_string_form_takes_repeated_and_comma_separated_ids(client, scene):
    kpi, year = _goal(scene), _year(scene)
    path = f"/api/v1/data/kpi/{kpi}/municipality/1287,1280/year/{year}"
    expected = client.get(path).json()["values"]
    assert len(expected) == 2
    repeated = f"/api/v1/data/?kpi_id={kpi}&municipality_id=1287&municipality_id=1280&year={year}"
    assert client.get(repeated).json()["values"] == expected
    commas = f"/api/v1/data?kpi_id={kpi}&municipality_id=1287,1280&year={year}"
    assert client.get(commas).json()["values"] == expected
    # Nothing named: every row, in pages.
    assert client.get("/api/v1/data?per_page=2").json()["x_total"] > 100
    assert client.get("/api/v1/data?kpi_id=").status_code == 400


def test_from_date_keeps_only_what_was_published_since(client, scene):
    kpi, year = _goal(scene), _year(scene)
    today = timezone.localdate()
    path = f"/api/v1/data/kpi/{kpi}/year/{year}"
    every = client.get(path).json()["values"]
    assert client.get(path, {"from_date": today.isoformat()}).json()["values"] == every
    later = (today + timedelta(days=1)).isoformat()
    assert client.get(path, {"from_date": later}).json()["values"] == []
    assert client.get(path, {"from_date": "yesterday"}).status_code == 400
    assert client.get(path, {"from_date": "2026-02-30"}).status_code == 400
    assert client.get(path, {"from_date": "0"}).status_code == 400


def test_type_and_region_type_choose_municipalities_or_regions(client, scene):
    def ids(query):
        return [m["id"] for m in client.get("/api/v1/municipality", query).json()["values"]]

    assert ids({"type": "K"}) == ids({"region_type": "K"}) == ["0580", "1280", "1287"]
    assert ids({"type": "L"}) == ["0000", "0012"]
    assert client.get("/api/v1/municipality", {"type": "X"}).status_code == 400


def test_operating_area_and_description_are_honoured(client, scene):
    area = scene.version.goal_areas.order_by("order").first()
    body = client.get("/api/v1/kpi", {"operating_area": area.name_sv}).json()
    assert body["values"] and all(k["operating_area"] == area.name_sv for k in body["values"])
    assert body["count"] < 100


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/kpi?titel=skola",
        "/api/v1/municipality?municipality_type=K",
        "/api/v1/data/kpi/DL1G1/year/2026?updated_since=2026-01-01",
        "/api/v1/ou/V1?title=x",
    ],
)
def test_an_unknown_parameter_is_a_400_that_names_it(client, scene, path):
    answer = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    name = path.split("?")[1].split("=")[0]
    assert f"Unknown parameter: {name}." in answer.json()["detail"]


def test_too_many_ids_names_the_limit(client, scene):
    many = ",".join(f"DL1G{i}" for i in range(1, 27))
    answer = client.get(f"/api/v1/kpi/{many}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400 and "at most 25 ids" in answer.json()["detail"]
    years = ",".join(str(y) for y in range(1900, 2001))
    answer = client.get(f"/api/v1/data/kpi/DL1G1/year/{years}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400 and "at most 100 ids" in answer.json()["detail"]


def test_errors_follow_accept_language_unless_a_language_was_chosen(client, scene):
    english = client.get("/api/v1/kpi?x=1", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert english["Content-Language"] == "en" and "Unknown parameter" in english.json()["detail"]
    assert "Accept-Language" in english["Vary"]
    swedish = client.get("/api/v1/kpi?x=1")
    assert swedish["Content-Language"] == "sv"
    assert "Unknown parameter" not in swedish.json()["detail"]
    client.cookies["django_language"] = "sv"
    chosen = client.get("/api/v1/kpi?x=1", HTTP_ACCEPT_LANGUAGE="en")
    assert chosen["Content-Language"] == "sv"


def test_any_site_may_read_the_api_from_a_browser(client, scene):
    answer = client.get("/api/v1/kpi", HTTP_ORIGIN="https://dashboard.example")
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in answer
    preflight = client.options(
        "/api/v1/kpi",
        HTTP_ORIGIN="https://dashboard.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    bulk = client.get("/api/v1/bulk/datapackage.json", HTTP_ORIGIN="https://x.example")
    assert bulk["Access-Control-Allow-Origin"] == "*"
    # Writing stays refused, with CORS or without.
    assert client.post("/api/v1/kpi", HTTP_ORIGIN="https://x.example").status_code == 405


def test_the_rate_limit_still_protects_anonymous_use_and_says_so_to_any_site(scene, settings):
    settings.DIGILYFT_API_RATE_LIMIT = 2
    settings.DIGILYFT_API_RATE_WINDOW = 60
    browser = Client(REMOTE_ADDR="192.0.2.9", HTTP_ORIGIN="https://x.example")
    preflight = browser.options("/api/v1/kpi", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204  # a preflight is not a read
    assert [browser.get("/api/v1/kpi").status_code for _ in range(2)] == [200, 200]
    refused = browser.get("/api/v1/kpi", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429 and refused["Access-Control-Allow-Origin"] == "*"
    assert "Too many requests" in refused.json()["detail"]
    assert "Retry-After" in refused["Access-Control-Expose-Headers"]


def test_a_harvester_takes_everything_cheaply_with_if_none_match(client, scene):
    for name in ("api:bulk_csv", "api:bulk_json", "api:bulk_datapackage"):
        first = client.get(reverse(name))
        again = client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and not again.content, name
