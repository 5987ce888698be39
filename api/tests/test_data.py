import pytest

pytestmark = pytest.mark.django_db


def _year(scene):
    return scene.rounds[scene.trelleborg.pk].closed_early_at.year


def _kpi(scene, letter="G"):
    unit = (
        scene.version.goal_areas.order_by("order").last().goals.order_by("order").first()
        if letter == "G"
        else scene.version.goal_areas.order_by("order").last()
    )
    return f"DL{scene.version.pk}{letter}{unit.pk}"


def test_it_serves_a_row_per_kpi_municipality_and_year_with_values_by_gender(client, scene):
    kpi = _kpi(scene)
    answer = client.get(f"/api/v1/data/kpi/{kpi}/municipality/1287/year/{_year(scene)}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == body["x_total"] == 1
    assert body["next_url"] is None and body["previous_url"] is None
    (row,) = body["values"]
    assert (row["kpi"], row["municipality"], row["period"]) == (kpi, "1287", _year(scene))
    assert [v["gender"] for v in row["values"]] == ["T", "K", "M"]
    total = row["values"][0]
    # 13 respondents, shown with the deliberate noise of results.disclosure (at most ±3).
    assert total["count"] == 1 and total["status"] == "" and abs(total["x_n"] - 13) <= 3
    assert total["isdeleted"] is False
    assert row["x_framework_version"] == "utveckling-i-en-digital-tid:1"
    assert row["x_round_kind"] == "baseline"


def test_a_target_group_kpi_is_not_divided_by_gender(client, scene):
    group = scene.version.target_groups.get(key="official")
    kpi = f"{_kpi(scene)}T{group.pk}"
    (row,) = client.get(f"/api/v1/data/kpi/{kpi}/municipality/1287").json()["values"]
    assert [v["gender"] for v in row["values"]] == ["T"]
    assert abs(row["values"][0]["x_n"] - 6) <= 3 and row["values"][0]["x_n"] >= 5


def test_data_that_does_not_exist_has_no_row(client, scene):
    kpi = _kpi(scene)
    for path in (
        f"/api/v1/data/kpi/{kpi}/municipality/1287,GKA1/year/2001",
        f"/api/v1/data/kpi/{kpi}/year/2001",
        f"/api/v1/data/kpi/{kpi}/municipality/1287/year/"
        + ",".join(str(y) for y in range(1970, 2025)),
    ):
        body = client.get(path).json()
        assert body["values"] == [] and body["count"] == body["x_total"] == 0, path


def test_regions_are_written_with_two_leading_zeros(client, scene):
    rows = client.get(f"/api/v1/data/kpi/{_kpi(scene)}/year/{_year(scene)}").json()["values"]
    assert [r["municipality"] for r in rows] == ["0000", "0012", "0580", "1280", "1287"]
    region = next(r for r in rows if r["municipality"] == "0012")
    assert region["values"][0]["status"] == ".."  # three respondents


def test_a_group_pools_the_respondents_of_its_passing_members(client, scene):
    kpi = _kpi(scene)
    rows = client.get(
        f"/api/v1/data/kpi/{kpi}/municipality/1287,1280,GL12,0000/year/{_year(scene)}"
    ).json()["values"]
    trelleborg, malmo, county, nation = (r["values"][0] for r in rows)
    assert county["count"] == 2  # Region Skåne's figure is suppressed and does not enter
    # Pooled over the members' respondents, each count perturbed by at most 3.
    assert abs(county["x_n"] - (trelleborg["x_n"] + malmo["x_n"])) <= 9
    low, high = county["x_ci95"]
    assert low <= county["value"] <= high
    assert nation["count"] == 3 and nation["x_ci95"] is not None


def test_paging_walks_every_row_once(client, scene):
    first = client.get(f"/api/v1/data/municipality/1287/year/{_year(scene)}?per_page=40").json()
    # count is the page's rows, as in Kolada; x_total the rows over all pages.
    assert first["count"] == len(first["values"]) == 40 and first["x_total"] == 100
    assert first["previous_url"] is None and first["next_page"] == first["next_url"]
    seen = [r["kpi"] for r in first["values"]]
    url = first["next_url"]
    while url:
        page = client.get(url).json()
        assert page["previous_url"] and page["count"] == len(page["values"])
        seen += [r["kpi"] for r in page["values"]]
        url = page["next_url"]
    assert len(seen) == len(set(seen)) == 100


@pytest.mark.parametrize(
    "path, words",
    [
        ("/api/v1/data/kpi/{many}/year/2026", "at most 25"),
        ("/api/v1/data/kpi/DL1G1/municipality/{many_municipalities}", "at most 25"),
        ("/api/v1/data/kpi/DL1X1/year/2026", "not a valid id"),
        ("/api/v1/data/kpi/DL1G1/year/26", "not a valid id"),
        ("/api/v1/data/municipality/12/year/2026", "for example 1287, 0000 or GKB3"),
        ("/api/v1/data/kpi/DL1G1/year/2026?per_page=5001", "per_page"),
        ("/api/v1/data/kpi/DL1G1/year/2026?page=0", "page"),
        ("/api/v1/data/kpi/DL1G1/year/2026?page=two", "page"),
    ],
)
def test_bad_parameters_get_a_400_that_says_what_is_wrong(client, scene, path, words):
    many = ",".join(f"DL1G{i}" for i in range(1, 27))
    many_municipalities = ",".join(f"{1000 + i}" for i in range(26))
    client.cookies["django_language"] = "en"  # the messages are translated; these are English
    answer = client.get(path.format(many=many, many_municipalities=many_municipalities))
    assert answer.status_code == 400
    assert words in answer.json()["detail"]


def test_twenty_five_ids_are_accepted(client, scene):
    ids = ",".join(f"DL{scene.version.pk}G{i}" for i in range(1, 26))
    assert client.get(f"/api/v1/data/kpi/{ids}/year/2026").status_code == 200


def test_the_api_only_reads(client, scene):
    answer = client.post(f"/api/v1/data/kpi/{_kpi(scene)}/year/2026")
    assert answer.status_code == 405 and answer.json()["detail"]
    assert client.get("/api/v1/no/such/thing").status_code == 404
