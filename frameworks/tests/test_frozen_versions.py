import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from frameworks.models import FrozenVersionError, GoalArea, Item


@pytest.mark.django_db
def test_an_unused_version_can_be_edited(version):
    item = Item.objects.filter(goal__area__version=version).first()
    item.statement_sv = "Ändrat påstående"
    item.save()
    item.refresh_from_db()
    assert item.statement_sv == "Ändrat påstående"


@pytest.mark.django_db
def test_a_version_used_by_a_round_cannot_be_changed(open_round):
    item = Item.objects.filter(goal__area__version=open_round.version).first()
    original = item.statement_sv
    item.statement_sv = "Ändrat påstående"
    with pytest.raises(FrozenVersionError, match="ny version"):
        item.save()
    item.refresh_from_db()
    assert item.statement_sv == original


@pytest.mark.django_db
def test_a_used_version_shows_a_clear_validation_error_in_forms(open_round):
    area = GoalArea.objects.filter(version=open_round.version).first()
    with pytest.raises(ValidationError) as excinfo:
        area.full_clean()
    assert "ny version" in str(excinfo.value)


@pytest.mark.django_db
def test_a_used_version_and_its_content_cannot_be_deleted(open_round):
    item = Item.objects.filter(goal__area__version=open_round.version).first()
    with pytest.raises(FrozenVersionError):
        item.delete()
    with pytest.raises(FrozenVersionError):
        open_round.version.delete()
    assert Item.objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_which_groups_see_an_item_cannot_change_once_frozen(open_round):
    item = Item.objects.filter(goal__area__version=open_round.version).first()
    with pytest.raises(FrozenVersionError), transaction.atomic():
        item.target_groups.clear()
    assert item.target_groups.exists()


@pytest.mark.django_db
def test_staff_copy_a_frozen_version_into_a_new_editable_one(open_round):
    old = open_round.version
    new = old.copy_as_new_version()
    assert new.number == old.number + 1
    assert not new.is_published
    assert (
        Item.objects.filter(goal__area__version=new).count()
        == Item.objects.filter(goal__area__version=old).count()
    )
    item = Item.objects.filter(goal__area__version=new).first()
    item.statement_sv = "Ny formulering"
    item.save()
    assert set(item.target_groups.values_list("version", flat=True)) == {new.pk}


@pytest.mark.django_db
def test_the_admin_refuses_to_save_a_frozen_item_with_a_message(client, staff_user, open_round):
    client.force_login(staff_user)
    item = Item.objects.filter(goal__area__version=open_round.version).first()
    page = client.get(f"/admin/frameworks/item/{item.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/frameworks/item/{item.pk}/change/",
        {
            "goal": item.goal_id,
            "key": item.key,
            "statement_sv": "Ändrat",
            "statement_en": "",
            "order": 0,
            "target_groups": [g.pk for g in item.target_groups.all()],
            "scale_steps-TOTAL_FORMS": 0,
            "scale_steps-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "new version" in response.content.decode() or "ny version" in response.content.decode()
    item.refresh_from_db()
    assert item.statement_sv != "Ändrat"
