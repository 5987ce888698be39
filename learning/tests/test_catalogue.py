import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from frameworks.models import Goal
from learning.catalogue import CatalogueError, load_cases, load_example_cases
from learning.models import Case, ModuleGoal, WorkshopModule
from registry.models import Organisation

pytestmark = pytest.mark.django_db

ORGANISATIONS_CSV = Path(__file__).resolve().parents[2] / "registry" / "data" / "organisations.csv"


@pytest.fixture
def catalogue(version):
    call_command("import_organisations", verbosity=0)
    call_command("load_learning_catalogue", verbosity=0)


@pytest.fixture
def examples(catalogue):
    load_example_cases()


def test_the_default_modules_cover_every_goal_of_the_default_framework(catalogue, version):
    covered = set(ModuleGoal.objects.values_list("goal_key", flat=True))
    goals = set(Goal.objects.filter(area__version=version).values_list("key", flat=True))
    assert goals <= covered
    assert WorkshopModule.objects.count() >= 16
    for module in WorkshopModule.objects.all():
        assert module.title_sv and module.title_en and module.objectives_sv and module.objectives_en


def test_the_production_command_loads_only_the_three_true_cases(catalogue):
    assert Case.objects.count() == 3
    assert not Case.objects.filter(is_illustrative=True).exists()
    assert set(Case.objects.values_list("organisation__code", flat=True)) == {"1287", "1980", "05"}
    stroke = Case.objects.get(organisation__code="05")
    assert "stroke" in stroke.title_sv.lower()


def test_the_demo_adds_made_up_examples_under_made_up_names_only(examples):
    made_up = Case.objects.filter(is_illustrative=True)
    assert made_up.count() >= 10
    assert not made_up.filter(organisation__isnull=False).exists()
    assert set(made_up.values_list("example_organisation", flat=True)) == {
        "Exempelkommun",
        "Exempelregionen",
    }
    assert not made_up.exclude(contact="").exists() and not made_up.exclude(link="").exists()


def test_no_made_up_example_names_a_real_organisation_or_place(examples):
    with ORGANISATIONS_CSV.open(encoding="utf-8") as rows:
        registry = list(csv.DictReader(rows))
    # "Region Skåne", "Botkyrka", "Göteborgs"; the part before " kommun"/" stad"/"s kommun".
    names = {row["name"] for row in registry} | {row["county_name"] for row in registry}
    stems = {name.replace("Region ", "").split(" ")[0].rstrip("s") for name in names}
    stems = {stem for stem in stems if len(stem) > 3} | {"Gothenburg", "Jönköping"}
    for case in Case.objects.filter(is_illustrative=True):
        text = " ".join(
            getattr(case, f"{name}_{lang}")
            for name in ("title", "summary", "what_was_done", "what_it_gave")
            for lang in ("sv", "en")
        )
        found = {stem for stem in stems if stem in text.split() or f"{stem}s" in text.split()}
        assert not found, f"{case.key} names {found}"
        assert stems.isdisjoint(case.key.split("-"))


def test_loading_again_adds_nothing(examples):
    before = (WorkshopModule.objects.count(), Case.objects.count())
    call_command("load_learning_catalogue", verbosity=0)
    load_example_cases()
    assert (WorkshopModule.objects.count(), Case.objects.count()) == before


def test_the_true_cases_file_refuses_a_made_up_entry(tmp_path, catalogue):
    bad = tmp_path / "cases.yaml"
    bad.write_text(
        "cases:\n  - key: x\n    illustrative: true\n    organisation_code: '1287'\n"
        "    welfare_area: school\n    goals: []\n    title_sv: X\n    summary_sv: X\n"
        "    what_was_done_sv: X\n    what_it_gave_sv: X\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError):
        load_cases(bad)
    assert Case.objects.count() == 3


def test_the_database_refuses_a_made_up_example_under_a_real_name(catalogue):
    with pytest.raises(IntegrityError):
        Case.objects.create(
            key="påhitt",
            organisation=Organisation.objects.get(code="1287"),
            is_illustrative=True,
            example_organisation="Exempelkommun",
            welfare_area="school",
            title_sv="X",
            summary_sv="X",
            what_was_done_sv="X",
            what_it_gave_sv="X",
        )


def test_made_up_examples_are_labelled_in_the_library_and_on_their_page(client, examples):
    library = client.get("/library/").content.decode()
    made_up = Case.objects.filter(is_illustrative=True)
    assert library.count('class="made-up"') == made_up.count()
    case = made_up.first()
    page = client.get(f"/library/{case.key}/").content.decode()
    assert 'class="made-up"' in page and case.example_organisation in page
    true_case = Case.objects.filter(is_illustrative=False).first()
    assert 'class="made-up"' not in client.get(f"/library/{true_case.key}/").content.decode()


def test_the_kind_filter_finds_made_up_examples_by_their_made_up_kind(client, examples):
    regions = client.get("/library/", {"kind": "region"}).context["cases"]
    assert {case.organisation_kind for case in regions} == {"region"}
    assert any(case.is_illustrative for case in regions)


def test_load_demo_is_what_loads_the_made_up_examples(version, monkeypatch, settings):
    from demo.management.commands import load_demo

    for heavy in ("load_webinar_demo", "load_programme_demo", "load_workshop_demo", "publish_due"):
        monkeypatch.setattr(load_demo, heavy, lambda *args, **kwargs: None)
    monkeypatch.setattr(load_demo, "load_national_demo", lambda *args: 0)
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    assert Case.objects.filter(is_illustrative=False).count() == 3
    assert Case.objects.filter(is_illustrative=True, organisation__isnull=True).count() >= 10
