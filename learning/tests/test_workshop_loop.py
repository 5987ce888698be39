"""The workshop loop as both sides see it: the coordinator's message, the office's mail about
a new request, translated history, forms that keep what was typed, the agenda from the
confirmed start, and participants entered as counts."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from learning.models import Participant, WorkshopModule, WorkshopRequest
from results.tests.factories import link, make_round, publish, submit
from webinars.tests.factories import run_worker

from .factories import modules_for_every_goal
from .test_workshop_requests import move, propose_url, request_data

pytestmark = pytest.mark.django_db

MESSAGE = "Vi vill gärna ha workshopen i kommunhuset, helst en tisdag."


@pytest.fixture
def answered(org_a, version):
    round_ = make_round(org_a, version)
    submit(link(round_, "politician"), 6, value=lambda i, item: 1 + (item.pk + i) % 5)
    submit(link(round_, "official"), 6, value=lambda i, item: 1 + (item.pk * 3 + i) % 5)
    modules_for_every_goal(version)
    return publish(round_)


@pytest.fixture
def office(db):
    return make_user("handlaggare", is_staff=True)


@pytest.fixture
def sent(client_a, answered, django_capture_on_commit_callbacks):
    chosen = list(WorkshopModule.objects.all()[:2])
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(propose_url(answered), request_data(chosen, message=MESSAGE))
    return WorkshopRequest.objects.get()


def detail(workshop):
    return reverse("learning:workshop_detail", args=[workshop.pk])


@pytest.mark.django_db(transaction=True)
def test_a_new_request_mails_the_office_with_the_message(
    settings,
    office,
    client_a,
    answered,
    django_capture_on_commit_callbacks,
):
    settings.DIGILYFT_SITE_URL = "http://127.0.0.1:8499"
    inactive = make_user("slutat", is_staff=True, is_active=False)
    chosen = list(WorkshopModule.objects.all()[:2])
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(propose_url(answered), request_data(chosen, message=MESSAGE))
    workshop = WorkshopRequest.objects.get()
    assert not [m for m in mail.outbox if office.email in m.to]  # the web request sends nothing
    run_worker()
    to_office = [m for m in mail.outbox if office.email in m.to]
    assert len(to_office) == 1
    assert inactive.email not in to_office[0].to
    body = to_office[0].body
    assert MESSAGE in body
    assert workshop.organisation.name in to_office[0].subject
    assert body.count("http://127.0.0.1:8499" + detail(workshop)) == 1
    assert all(chosen_module.title_sv in body for chosen_module in chosen)


def test_the_message_is_shown_to_the_coordinator_and_to_the_office(client, client_a, office, sent):
    assert MESSAGE in client_a.get(detail(sent)).content.decode()
    client.force_login(office)
    assert MESSAGE in client.get(detail(sent)).content.decode()


def test_the_history_shows_statuses_in_words(client, office, sent):
    client.force_login(office)
    html = client.get(detail(sent)).content.decode()
    history = html[html.index("<h3>Historik</h3>") if "<h3>Historik</h3>" in html else 0 :]
    assert ": requested" not in history
    client.cookies["django_language"] = "en"
    html = client.get(detail(sent)).content.decode()
    assert ": Requested" in html


def test_a_confirmation_with_an_error_keeps_what_was_typed(client, office, sent):
    client.force_login(office)
    result = move(
        client,
        sent,
        "confirmed",
        scheduled_start="2020-01-01T10:00",
        facilitator="Anna Facilitator",
        place="Stadshuset, sal 3",
    )
    assert result.status_code == 400
    html = result.content.decode()
    assert 'value="Anna Facilitator"' in html and 'value="Stadshuset, sal 3"' in html
    assert 'value="2020-01-01T10:00"' in html
    sent.refresh_from_db()
    assert sent.status == "requested" and sent.facilitator == ""


def test_the_agenda_starts_at_the_confirmed_time(client, office, sent):
    client.force_login(office)
    start = (timezone.localtime() + timedelta(days=20)).replace(hour=13, minute=0)
    move(
        client,
        sent,
        "confirmed",
        scheduled_start=start.strftime("%Y-%m-%dT%H:%M"),
        facilitator="Anna",
        place="Stadshuset",
    )
    agenda = client.get(detail(sent)).context["agenda"]
    assert agenda[0].start.strftime("%H:%M") == "13:00"
    assert agenda[1].start.strftime("%H:%M") == "13:15"


def test_the_agenda_starts_at_nine_until_a_time_is_confirmed(client_a, sent):
    assert client_a.get(detail(sent)).context["agenda"][0].start.strftime("%H:%M") == "09:00"


def _participants_url(workshop):
    return reverse("learning:add_participant", args=[workshop.pk])


def test_participants_are_entered_as_counts_per_group_and_gender(client_a, sent):
    result = client_a.post(
        _participants_url(sent),
        {
            "count_politician_woman": "3",
            "count_politician_man": "2",
            "count_official_none": "1",
            "count_key_person_undisclosed": "2",
            "count_key_person_man": "",
        },
    )
    assert result.status_code == 302
    rows = sorted(Participant.objects.values_list("target_group", "gender"))
    assert rows == sorted(
        [("politician", "woman")] * 3
        + [("politician", "man")] * 2
        + [("official", "")]
        + [("key_person", "undisclosed")] * 2
    )


@pytest.mark.parametrize(
    "data",
    [
        {"count_politician_woman": "3", "count_official_man": "-1"},
        {"count_politician_woman": "3", "count_official_man": "två"},
        {"count_politician_woman": "501"},
        {},
        {"count_politician_woman": "0"},
    ],
)
def test_a_wrong_count_registers_nothing_and_keeps_what_was_typed(client_a, sent, data):
    result = client_a.post(_participants_url(sent), data)
    assert result.status_code == 400
    assert not Participant.objects.exists()
    html = result.content.decode()
    assert 'id="participant-errors"' in html
    for name, value in data.items():
        if value:
            assert f'name="{name}"' in html and f'value="{value}"' in html


def test_an_unknown_cell_is_ignored_and_counts_nothing(client_a, sent):
    result = client_a.post(_participants_url(sent), {"count_astronaut_woman": "4"})
    assert result.status_code == 400
    assert not Participant.objects.exists()


def test_another_organisations_coordinator_cannot_register(coordinator_b, sent):
    other = Client()
    other.force_login(coordinator_b)
    result = other.post(_participants_url(sent), {"count_politician_woman": "3"})
    assert result.status_code == 404
    assert not Participant.objects.exists()
