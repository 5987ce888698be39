import pytest

pytestmark = pytest.mark.django_db


def test_kpis_cover_every_unit_for_all_and_per_target_group(client, scene):
    body = client.get("/api/v1/kpi?per_page=5000").json()
    assert body["count"] == 25 * 4
    by_id = {k["id"]: k for k in body["values"]}
    goal = scene.version.goal_areas.order_by("order").first().goals.order_by("order").first()
    kpi = by_id[f"DL{scene.version.pk}G{goal.pk}"]
    assert kpi["title"] == goal.name_sv and kpi["x_title_en"] == goal.name_en
    assert kpi["is_divided_by_gender"] and kpi["x_scale"] == {"min": 1, "max": 5}
    assert kpi["x_unit_kind"] == "goal" and kpi["x_target_group"] is None
    groups = [k for k in body["values"] if k["x_target_group"]]
    assert len(groups) == 75 and not any(k["is_divided_by_gender"] for k in groups)


def test_kpis_can_be_found_by_title(client, scene):
    body = client.get("/api/v1/kpi", {"title": "ledande tjänstepersoner"}).json()
    assert body["count"] == 25
    assert all(k["x_target_group"] == "official" for k in body["values"])


def test_municipalities_are_written_as_kolada_writes_them(client, scene):
    values = client.get("/api/v1/municipality").json()["values"]
    assert [(m["id"], m["type"]) for m in values] == [
        ("0000", "L"),
        ("0012", "L"),
        ("0580", "K"),
        ("1280", "K"),
        ("1287", "K"),
    ]


def test_groups_list_their_members(client, scene):
    values = {g["id"]: g for g in client.get("/api/v1/municipality_groups").json()["values"]}
    assert set(values) == {"GKA1", "GKB3", "GL05", "GL12"}
    assert [m["id"] for m in values["GKB3"]["members"]] == ["0580", "1287"]
    assert [m["id"] for m in values["GL12"]["members"]] == ["0012", "1280", "1287"]
    assert values["GL12"]["x_kind"] == "county"


def test_the_openapi_description_is_served(client, db):
    body = client.get("/api/v1/openapi.json").json()
    assert body["openapi"].startswith("3.")
    assert "/api/v1/data/kpi/{kpi}/municipality/{municipality}/year/{year}" in body["paths"]
