import pytest
from django.core.management import call_command

from frameworks.models import Goal
from learning.models import Case, ModuleGoal, WorkshopModule

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(version):
    call_command("import_organisations", verbosity=0)
    call_command("load_learning_catalogue", verbosity=0)


def test_the_default_modules_cover_every_goal_of_the_default_framework(catalogue, version):
    covered = set(ModuleGoal.objects.values_list("goal_key", flat=True))
    goals = set(Goal.objects.filter(area__version=version).values_list("key", flat=True))
    assert goals <= covered
    assert WorkshopModule.objects.count() >= 16
    for module in WorkshopModule.objects.all():
        assert module.title_sv and module.title_en and module.objectives_sv and module.objectives_en


def test_the_library_seed_has_the_three_named_cases_and_marks_the_rest(catalogue):
    assert Case.objects.count() >= 10
    named = Case.objects.filter(is_illustrative=False)
    assert set(named.values_list("organisation__code", flat=True)) == {"1287", "1980", "05"}
    assert Case.objects.filter(is_illustrative=True).count() == Case.objects.count() - 3
    stroke = Case.objects.get(organisation__code="05")
    assert "stroke" in stroke.title_sv.lower()


def test_loading_again_adds_nothing(catalogue):
    before = (WorkshopModule.objects.count(), Case.objects.count())
    call_command("load_learning_catalogue", verbosity=0)
    assert (WorkshopModule.objects.count(), Case.objects.count()) == before


def test_illustrative_cases_say_so_on_their_page(client, catalogue):
    case = Case.objects.filter(is_illustrative=True).first()
    body = client.get(f"/library/{case.key}/").content.decode()
    assert 'class="notice"' in body
    named = Case.objects.filter(is_illustrative=False).first()
    assert 'class="notice"' not in client.get(f"/library/{named.key}/").content.decode()
