from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Answer, Response
from assessments.questionnaire import build_pages

pytestmark = pytest.mark.django_db


def make_response(link, submitted):
    response = Response.objects.create(
        link=link, round=link.round, submitted_on=timezone.localdate() if submitted else None
    )
    item = build_pages(link)[0].items[0]
    Answer.objects.create(response=response, item=item, value=3)
    return response


def test_unsubmitted_responses_are_deleted_after_the_retention_period(politician_link, settings):
    settings.DIGILYFT_UNSUBMITTED_RETENTION_DAYS = 30
    kept = make_response(politician_link, submitted=True)
    draft = make_response(politician_link, submitted=False)
    round_ = politician_link.round
    round_.opens_on = timezone.localdate() - timedelta(days=90)
    round_.closes_on = timezone.localdate() - timedelta(days=31)
    round_.save()
    call_command("purge_unsubmitted", verbosity=0)
    assert list(Response.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Answer.objects.filter(response_id=draft.pk).exists()
    assert Answer.objects.filter(response=kept).exists()


def test_drafts_of_recently_closed_and_open_rounds_are_kept(politician_link, settings):
    settings.DIGILYFT_UNSUBMITTED_RETENTION_DAYS = 30
    draft = make_response(politician_link, submitted=False)
    call_command("purge_unsubmitted", verbosity=0)
    round_ = politician_link.round
    round_.closes_on = timezone.localdate() - timedelta(days=1)
    round_.opens_on = timezone.localdate() - timedelta(days=10)
    round_.save()
    call_command("purge_unsubmitted", verbosity=0)
    assert Response.objects.filter(pk=draft.pk).exists()
