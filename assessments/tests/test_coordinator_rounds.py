from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Round, RoundLink
from assessments.rounds import close_early

from .helpers import answer_everything, begin

pytestmark = pytest.mark.django_db


def round_data(framework_version, **overrides):
    today = timezone.localdate()
    data = {
        "name": "Uppföljning 2027",
        "kind": "follow_up",
        "version": framework_version.pk,
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=14)).isoformat(),
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_round_with_one_unguessable_link_per_group(
    client_a, version, org_a
):
    result = client_a.post(reverse("assessments:round_create"), round_data(version))
    assert result.status_code == 302
    round_ = Round.objects.get()
    assert round_.organisation == org_a
    links = list(round_.links.all())
    assert [link.target_group.key for link in links] == ["politician", "official", "key_person"]
    assert len({link.token for link in links}) == 3
    assert all(len(link.token) >= 32 for link in links)
    detail = client_a.get(result["Location"]).content.decode()
    for link in links:
        assert f"/s/{link.token}/" in detail


@pytest.mark.parametrize(
    "overrides",
    [
        {"closes_on": "2020-01-01", "opens_on": "2019-12-01"},
        {"opens_on": "2030-02-01", "closes_on": "2030-01-01"},
        {"opens_on": "not-a-date"},
        {"name": ""},
        {"version": "999999"},
    ],
)
def test_bad_round_input_is_explained_and_nothing_is_created(client_a, version, overrides):
    result = client_a.post(reverse("assessments:round_create"), round_data(version, **overrides))
    assert result.status_code == 400
    assert 'class="error-box"' in result.content.decode()
    assert not Round.objects.exists()
    assert not RoundLink.objects.exists()


def test_an_unpublished_version_cannot_be_chosen(client_a, version):
    draft = version.copy_as_new_version()
    result = client_a.post(
        reverse("assessments:round_create"), round_data(version, version=draft.pk)
    )
    assert result.status_code == 400
    assert not Round.objects.exists()


def test_the_round_page_shows_counts_per_group_and_never_answers(client_a, open_round):
    from django.test import Client

    politician = open_round.links.get(target_group__key="politician")
    for _ in range(2):
        respondent = Client()
        begin(respondent, politician)
        answer_everything(respondent, politician)
    begin(Client(), politician)
    page = client_a.get(reverse("assessments:round_detail", args=[open_round.pk]))
    assert page.status_code == 200
    rows = page.context["links"]
    counts = {link.target_group.key: (link.started, link.submitted) for link, _ in rows}
    assert counts == {"politician": (3, 2), "official": (0, 0), "key_person": (0, 0)}
    body = page.content.decode()
    assert "item-" not in body
    assert page.context["totals"] == {"started": 3, "submitted": 2}


def test_closing_early_stops_the_links(client_a, open_round):
    confirm = client_a.get(reverse("assessments:round_close", args=[open_round.pk]))
    assert confirm.status_code == 200
    result = client_a.post(reverse("assessments:round_close", args=[open_round.pk]))
    assert result.status_code == 302
    open_round.refresh_from_db()
    assert open_round.closed_early_at is not None
    assert open_round.status == "closed"
    link = open_round.links.first()
    from django.test import Client

    assert Client().post(reverse("assessments:respond_begin", args=[link.token])).status_code == 410


def test_closing_twice_keeps_the_first_closing_time(open_round):
    assert close_early(open_round)
    first = Round.objects.get().closed_early_at
    assert not close_early(open_round)
    assert Round.objects.get().closed_early_at == first


def test_the_number_invited_is_saved_and_bad_numbers_change_nothing(client_a, open_round):
    link = open_round.links.first()
    url = reverse("assessments:round_invited", args=[open_round.pk, link.pk])
    assert client_a.post(url, {"invited_count": "12"}).status_code == 302
    link.refresh_from_db()
    assert link.invited_count == 12
    client_a.post(url, {"invited_count": "-3"})
    link.refresh_from_db()
    assert link.invited_count == 12


def test_a_coordinator_lists_only_their_own_rounds(client_a, open_round, org_b, version):
    from assessments.rounds import create_round

    create_round(
        organisation=org_b,
        user=None,
        name="Linköpings omgång",
        version=version,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
    )
    body = client_a.get(reverse("assessments:coordinator_home")).content.decode()
    assert "Baslinje 2026" in body
    assert "Linköpings omgång" not in body
