"""Staff see resident pulses in the Django admin as they see rounds: a closed pulse keeps its
dates, a published one cannot be deleted, a used questionnaire version is read-only, and no
resident's response or answer is there at all."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from pulse.models import Pulse, PulseAnswer, PulseFigure, PulsePublication, PulseResponse
from pulse.pulses import close_early

from .helpers import answer_from_a_fresh_browser

pytestmark = pytest.mark.django_db


def test_responses_answers_and_figures_are_not_in_the_admin():
    for model in (PulseResponse, PulseAnswer, PulsePublication, PulseFigure):
        assert not admin.site.is_registered(model), model


def test_staff_list_pulses_with_their_answer_counts(staff_client, pulse):
    for _ in range(3):
        answer_from_a_fresh_browser(pulse, "4")
    page = staff_client.get(reverse("admin:pulse_pulse_changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_list[0].answered == 3
    change = staff_client.get(reverse("admin:pulse_pulse_change", args=[pulse.pk]))
    body = change.content.decode()
    assert change.status_code == 200 and 'name="closes_on"' in body
    # Nothing of an answer: no statement's value, no response, anywhere on the page.
    assert "pulseresponse" not in body and "pulseanswer" not in body


def _post(staff_client, pulse, **changes):
    data = {
        "organisation": pulse.organisation_id,
        "version": pulse.version_id,
        "opens_on": pulse.opens_on.isoformat(),
        "closes_on": pulse.closes_on.isoformat(),
        "closed_early_on": pulse.closed_early_on.isoformat() if pulse.closed_early_on else "",
    }
    data.update(changes)
    return staff_client.post(reverse("admin:pulse_pulse_change", args=[pulse.pk]), data)


def test_an_open_pulses_dates_can_be_changed_a_closed_ones_not(staff_client, pulse):
    later = pulse.closes_on + timedelta(days=5)
    assert _post(staff_client, pulse, closes_on=later.isoformat()).status_code == 302
    pulse.refresh_from_db()
    assert pulse.closes_on == later

    for _ in range(5):
        answer_from_a_fresh_browser(pulse, "4")
    close_early(pulse)
    change = staff_client.get(reverse("admin:pulse_pulse_change", args=[pulse.pk]))
    assert 'name="closes_on"' not in change.content.decode()  # shown, not a field
    reopened = (timezone.localdate() + timedelta(days=30)).isoformat()
    _post(staff_client, pulse, closes_on=reopened, closed_early_on="")
    pulse.refresh_from_db()
    assert pulse.closes_on == later and pulse.closed_early_on == timezone.localdate()
    # Published figures never change: the pulse cannot be deleted either.
    delete = staff_client.get(reverse("admin:pulse_pulse_delete", args=[pulse.pk]))
    assert delete.status_code == 403
    assert Pulse.objects.filter(pk=pulse.pk).exists()


def test_a_pulse_added_in_the_admin_records_who_added_it(staff_client, org_a, pulse):
    today = timezone.localdate()
    answer = staff_client.post(
        reverse("admin:pulse_pulse_add"),
        {
            "organisation": org_a.pk,
            "version": pulse.version_id,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
            "closed_early_on": "",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    added = Pulse.objects.exclude(pk=pulse.pk).get()
    assert added.created_by.username == "staff"


def test_a_used_questionnaire_version_is_read_only(staff_client, pulse):
    version = pulse.version
    page = staff_client.get(reverse("admin:pulse_pulseversion_change", args=[version.pk]))
    assert page.status_code == 200 and 'name="name_sv"' not in page.content.decode()
    statement = version.statements.first()
    page = staff_client.get(reverse("admin:pulse_pulsestatement_change", args=[statement.pk]))
    assert page.status_code == 200 and 'name="statement_sv"' not in page.content.decode()
    delete = staff_client.get(reverse("admin:pulse_pulseversion_delete", args=[version.pk]))
    assert delete.status_code == 403
