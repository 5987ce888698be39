"""The invitee's path: the mail, the personal link, one submission, and nothing that links."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from assessments.models import Response
from assessments.questionnaire import already_submitted_message
from assessments.tests.helpers import answer_everything
from invitations.models import Invitation
from invitations.sending import queue_invitations

from .conftest import personal_urls
from .helpers import invite, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def used_message():
    with translation.override("sv"):
        return already_submitted_message()


def send_all(round_):
    queue_invitations(round_)
    run_worker()


def test_each_invitee_gets_one_mail_in_their_language_from_the_worker(open_round, politician_link):
    invite(politician_link, "anna@example.org")
    invite(politician_link, "ben@example.org", language="en")
    queue_invitations(open_round)
    assert mail.outbox == []  # the web process only queues
    run_worker()
    run_worker()  # nothing is left to send twice
    by_address = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    swedish, english = by_address["anna@example.org"], by_address["ben@example.org"]
    assert english.subject == ("Your personal link to the self-assessment for Trelleborgs kommun")
    with translation.override("sv"):
        assert swedish.subject == translation.gettext(
            "Your personal link to the self-assessment for %(organisation)s"
        ) % {"organisation": "Trelleborgs kommun"}
    closes = open_round.closes_on.isoformat()
    for message in (swedish, english):
        assert closes in message.body
        assert "10–15" in message.body
        assert reverse("core:privacy") in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "open until" in english.body
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}
    # Only hashes are kept: the token in the mail is not in the database.
    path = personal_urls([swedish])[0]
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_the_personal_link_takes_one_submission_and_a_replay_is_refused(
    client, open_round, politician_link
):
    open_round.open_links = False
    open_round.save()
    invite(politician_link, "anna@example.org")
    send_all(open_round)
    url = personal_urls(mail.outbox)[0]
    assert client.get(url).status_code == 200
    assert client.post(url + "begin/").status_code == 302
    assert Invitation.objects.get().status == "started"
    summary = answer_everything(client, politician_link)
    assert summary.status_code == 200
    assert Invitation.objects.get().status == "submitted"
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1
    # The same link again, in this browser and in a fresh one.
    for browser in (client, client.__class__()):
        page = browser.get(url)
        assert page.status_code == 410
        assert used_message() in page.content.decode()
        assert browser.post(url + "begin/").status_code == 410
    assert Response.objects.count() == 1


def test_a_lost_device_can_begin_again_but_only_one_draft_is_ever_submitted(
    client, open_round, politician_link
):
    invite(politician_link, "anna@example.org")
    send_all(open_round)
    url = personal_urls(mail.outbox)[0]
    phone, laptop = client, client.__class__()
    phone.post(url + "begin/")
    laptop.post(url + "begin/")
    assert Response.objects.count() == 2
    answer_everything(laptop, politician_link)
    refused = answer_everything(phone, politician_link)
    assert refused.status_code == 409
    assert used_message() in refused.content.decode()
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1


def test_the_database_holds_nothing_that_links_an_invitation_to_a_response(
    client, open_round, politician_link
):
    # The schema: no key either way, no time of day on either side.
    invitation_fields = {f.name: f for f in Invitation._meta.get_fields()}
    response_fields = {f.name: f for f in Response._meta.get_fields()}
    assert not any(
        getattr(f, "related_model", None) is Response for f in invitation_fields.values()
    )
    assert not any(
        getattr(f, "related_model", None) is Invitation for f in response_fields.values()
    )
    for fields in (invitation_fields, response_fields):
        assert not any(
            f.get_internal_type() == "DateTimeField"
            for f in fields.values()
            if hasattr(f, "get_internal_type")
        )
    invitation_columns = {f.column for f in Invitation._meta.concrete_fields}
    assert invitation_columns == {
        "id",
        "link_id",
        "round_id",
        "email",
        "language",
        "token_hash",
        "status",
        "reminded_days_before",
        "opted_out",
        "claim",  # the hash of a draft secret that the submit deletes: joins nothing
        "claimed_by",  # the sending run while the mail is handed over; cleared after
    }
    # The rows: three invitees submit; no value of an invitation row names a response.
    invite(politician_link, "a@example.org", "b@example.org", "c@example.org")
    send_all(open_round)
    for url in personal_urls(mail.outbox):
        browser = client.__class__()
        browser.post(url + "begin/")
        answer_everything(browser, politician_link)
    responses = list(Response.objects.values())
    assert len(responses) == 3 and all(r["secret"] is None for r in responses)
    response_values = {str(v) for r in responses for v in r.values() if v not in (None, "")}
    for invitation in Invitation.objects.values():
        assert invitation["status"] == "submitted"
        # Both tables number their rows from 1, so equal ids are a coincidence, not a key; what
        # must never appear on the response side is a value only the invitation has.
        assert str(invitation["token_hash"]) not in response_values
        assert invitation["email"] not in response_values
        assert invitation["claim"] and invitation["claim"] not in response_values
    # Invitation ids follow the list's order, response ids the order of answering; with
    # nothing stored about when an invitation was spent, the two orders cannot be matched.


def test_a_wrong_or_cut_token_is_a_clear_404(client, politician_link):
    url = reverse("invitations:start", args=[politician_link.token, "x" * 32])
    page = client.get(url)
    assert page.status_code == 404


def test_a_submit_cut_off_after_the_claim_finishes_on_retry_and_no_other_draft_can(
    client, open_round, politician_link
):
    """The invitation is claimed in a transaction of its own, before the response is
    submitted. A crash between the two leaves the invitation spent by that draft alone: its
    retry submits, a second device's draft on the same link is refused, nothing is counted
    twice."""
    from assessments.questionnaire import AnswerRejected, submit
    from invitations import personal

    invite(politician_link, "a@example.org")
    send_all(open_round)
    (url,) = personal_urls(mail.outbox)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    invitation = personal.find(token)
    first, second = personal.begin(invitation), personal.begin(invitation)
    # The crash: the claim went through, the response's own submit never ran.
    assert personal.mark_submitted(politician_link.pk, token, first.secret)
    assert not Response.objects.filter(submitted_on__isnull=False).exists()
    with pytest.raises(AnswerRejected):
        submit(second, invitation_token=token)
    assert submit(first, invitation_token=token)  # the retry of the same draft
    assert not submit(first, invitation_token=token)  # a replay stores nothing more
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1
    assert Invitation.objects.get().status == "submitted"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_invitation_and_its_response_do_not_share_a_transaction(
    open_round, politician_link
):
    """A database reader pairs rows written by one transaction by their equal ``xmin``."""
    from django.db import connection

    from assessments.questionnaire import submit
    from invitations import personal

    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    invite(politician_link, "a@example.org")
    send_all(open_round)
    (url,) = personal_urls(mail.outbox)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    response = personal.begin(personal.find(token))
    assert submit(response, invitation_token=token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM invitations_invitation")
        (invitation_xmin,) = cursor.fetchone()
        cursor.execute("SELECT xmin::text FROM assessments_response WHERE id = %s", [response.pk])
        (response_xmin,) = cursor.fetchone()
    assert invitation_xmin != response_xmin
