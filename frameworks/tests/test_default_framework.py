import pytest
from django.core.management import call_command
from django.db.models import Count

from frameworks.models import Goal, GoalArea, Item, ScaleStep


@pytest.mark.django_db
def test_the_default_framework_has_four_areas_sixteen_goals_and_three_items_per_goal(version):
    assert list(GoalArea.objects.filter(version=version).values_list("key", flat=True)) == [
        "ledning",
        "arkitektur",
        "information",
        "service",
    ]
    goals = Goal.objects.filter(area__version=version).annotate(n=Count("items"))
    assert goals.count() == 16
    assert min(goal.n for goal in goals) >= 3
    assert list(version.target_groups.values_list("key", flat=True)) == [
        "politician",
        "official",
        "key_person",
    ]
    assert version.prerequisites.count() == 5


@pytest.mark.django_db
def test_every_item_is_bilingual_with_five_described_steps_and_tags(version):
    items = Item.objects.filter(goal__area__version=version)
    for item in items.prefetch_related("scale_steps", "target_groups", "prerequisites"):
        assert item.statement_sv and item.statement_en
        steps = list(item.scale_steps.all())
        assert [s.value for s in steps] == [1, 2, 3, 4, 5]
        assert all(s.description_sv and s.description_en for s in steps)
        assert item.target_groups.exists()
        assert item.prerequisites.exists()
    assert ScaleStep.objects.filter(item__goal__area__version=version).count() == 5 * items.count()


@pytest.mark.django_db
def test_politicians_and_officials_both_see_items_in_every_goal(version):
    for goal in Goal.objects.filter(area__version=version):
        shared = goal.items.filter(target_groups__key="politician").filter(
            target_groups__key="official"
        )
        assert shared.count() >= 2, goal.key


@pytest.mark.django_db
def test_loading_twice_creates_nothing_new(version):
    before = Item.objects.count()
    call_command("load_framework", verbosity=0)
    assert Item.objects.count() == before


@pytest.mark.django_db
def test_the_english_text_is_used_when_english_is_active(version):
    from django.utils import translation

    area = GoalArea.objects.get(version=version, key="ledning")
    with translation.override("en"):
        assert area.name == area.name_en
    with translation.override("sv"):
        assert area.name == "Ledning, styrning och organisation"
