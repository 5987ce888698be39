"""The bulk files as the tools people use read them: Frictionless validates the data package,
pandas and DuckDB read the CSV with the descriptor's types (codes stay strings), and
pandas.read_json reads the JSON file as it is."""

import io
import json

import duckdb
import pandas as pd
import pytest
from django.urls import reverse
from frictionless import validate

pytestmark = pytest.mark.django_db


def _download(client, name):
    answer = client.get(reverse(name))
    assert answer.status_code == 200
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


@pytest.fixture
def package(client, scene, tmp_path):
    """The three files as a harvester saves them, side by side."""
    for name, filename in (
        ("api:bulk_csv", "figures.csv"),
        ("api:bulk_json", "figures.json"),
        ("api:bulk_datapackage", "datapackage.json"),
    ):
        (tmp_path / filename).write_bytes(_download(client, name))
    return tmp_path


def _fields(package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    (resource,) = [r for r in descriptor["resources"] if r["format"] == "csv"]
    return {field["name"]: field["type"] for field in resource["schema"]["fields"]}


def test_frictionless_validates_the_data_package(package):
    report = validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "fieldName", "rowNumber"])
    assert report.stats["tasks"] == 2


def test_the_descriptor_carries_codes_as_strings_licence_and_attribution(package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["x_attribution"].startswith("Digilyft")
    fields = _fields(package)
    assert fields["kpi"] == fields["municipality"] == fields["status"] == "string"
    assert fields["period"] == "integer" and fields["value"] == "number"


PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64"}


def test_pandas_reads_the_csv_with_the_descriptors_types(package):
    fields = _fields(package)
    frame = pd.read_csv(
        package / "figures.csv",
        dtype={name: PANDAS_TYPES[kind] for name, kind in fields.items() if kind in PANDAS_TYPES},
        parse_dates=[name for name, kind in fields.items() if kind == "date"],
        keep_default_na=False,
        na_values={name: [""] for name, kind in fields.items() if kind != "string"},
    )
    # Region Skåne is 0012 and Linköping 0580: leading zeros kept.
    assert {"0012", "0580", "1280", "1287"} == set(frame["municipality"])
    assert str(frame["period"].dtype) == "Int64" and str(frame["value"].dtype) == "Float64"
    suppressed = frame[frame["status"] == ".."]
    assert len(suppressed) > 0 and suppressed["value"].isna().all()
    assert frame[frame["status"] == ""]["value"].between(1, 5).all()


DUCKDB_TYPES = {"string": "VARCHAR", "integer": "INTEGER", "number": "DOUBLE", "date": "DATE"}


def test_duckdb_reads_the_csv_with_the_descriptors_types(package):
    columns = {name: DUCKDB_TYPES[kind] for name, kind in _fields(package).items()}
    with duckdb.connect() as db:
        relation = db.read_csv(str(package / "figures.csv"), header=True, dtype=columns)
        db.register("figures", relation)
        rows = dict(
            db.execute(
                "select municipality, count(*) from figures group by municipality"
            ).fetchall()
        )
        assert set(rows) == {"0012", "0580", "1280", "1287"}
        (shown,) = db.execute(
            "select count(*) from figures where status is null and value between 1 and 5"
        ).fetchone()
        assert shown > 0


def test_pandas_reads_the_json_file_as_it_is(client, scene):
    body = _download(client, "api:bulk_json")
    frame = pd.read_json(io.BytesIO(body), orient="records", dtype={"municipality": str})
    assert {"0012", "0580", "1280", "1287"} == set(frame["municipality"])
    lines = _download(client, "api:bulk_csv").decode().splitlines()
    assert len(frame) == len(lines) - 1  # the same figures as the CSV


def test_frictionless_reads_a_shown_status_as_itself_not_as_missing(package):
    from frictionless import Package

    (resource,) = [
        r for r in Package(str(package / "datapackage.json")).resources if r.format == "csv"
    ]
    statuses = {row["status"] for row in resource.read_rows()}
    assert statuses == {"", ".."}  # a shown value's "" is not read as missing (None)
