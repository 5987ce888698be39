"""Every respondent counted once: the attacks of issue 11 carried out."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Response
from assessments.rounds import link_counts
from assessments.tests.helpers import answer_everything, begin
from invitations.models import Invitation
from invitations.sending import queue_invitations
from results.figures import response_rates

from .conftest import personal_urls
from .helpers import invite, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_cannot_top_up_a_group_through_fresh_browsers(open_round, politician_link):
    invite(politician_link, *[f"p{i}@example.org" for i in range(4)])
    open_round.open_links = False
    open_round.save()
    queue_invitations(open_round)
    run_worker()
    real = Client()
    url = personal_urls(mail.outbox)[0]
    real.post(url + "begin/")
    answer_everything(real, politician_link)
    # The coordinator, in fresh browsers, on the shared link: refused at every step.
    for _ in range(4):
        fresh = Client()
        start = reverse("assessments:respond_start", args=[politician_link.token])
        assert fresh.get(start).status_code == 403
        assert (
            fresh.post(
                reverse("assessments:respond_begin", args=[politician_link.token])
            ).status_code
            == 403
        )
        assert (
            fresh.post(
                reverse("assessments:respond_restart", args=[politician_link.token])
            ).status_code
            == 403
        )
        # ... and by replaying the spent personal link.
        assert fresh.post(url + "begin/").status_code == 410
    assert Response.objects.count() == 1
    link = link_counts(open_round).get(pk=politician_link.pk)
    assert (link.submitted, link.invited) == (1, 4)


def test_a_draft_let_in_before_the_shared_link_was_switched_off_is_still_accepted(
    client, open_round, politician_link
):
    begin(client, politician_link)
    open_round.open_links = False
    open_round.save()
    assert answer_everything(client, politician_link).status_code == 200
    assert Response.objects.filter(submitted_on__isnull=False).count() == 1
    # A newcomer is refused at the first step.
    start = reverse("assessments:respond_start", args=[politician_link.token])
    assert Client().get(start).status_code == 403


def begin_on_shared_link(link):
    browser = Client()
    began = browser.post(reverse("assessments:respond_begin", args=[link.token]))
    return browser, began


def answer_on_shared_link(link):
    browser = Client()
    begin(browser, link)
    return answer_everything(browser, link)


def test_the_shared_link_lets_in_only_the_number_invited_and_refuses_at_the_first_step(
    open_round, politician_link
):
    politician_link.invited_count = 2
    politician_link.save()
    began = [begin_on_shared_link(politician_link) for _ in range(3)]
    assert [response.status_code for _browser, response in began] == [302, 302, 403]
    assert "Denna länk tar inte emot fler svar" in began[2][1].content.decode()
    assert Response.objects.count() == 2  # the refused one stored nothing
    # The two let in are never refused at the end.
    assert [answer_everything(b, politician_link).status_code for b, _r in began[:2]] == [200] * 2
    assert Response.objects.filter(submitted_on__isnull=False).count() == 2
    start = reverse("assessments:respond_start", args=[politician_link.token])
    assert Client().get(start).status_code == 403
    rate = {r["group"].key: r for r in response_rates(open_round)}["politician"]
    assert (rate["submitted"], rate["invited"], rate["rate"]) == (2, 2, 1.0)


def test_with_a_list_the_shared_link_is_off_until_a_number_is_typed(open_round, politician_link):
    invite(politician_link, "a@example.org", "b@example.org")
    queue_invitations(open_round)
    run_worker()
    for url in personal_urls(mail.outbox):
        browser = Client()
        browser.post(url + "begin/")
        answer_everything(browser, politician_link)
    # The round's shared links are on, but nobody was invited through this one: an invitee
    # trying to answer a second time through it is refused at the start, in both languages.
    start = reverse("assessments:respond_start", args=[politician_link.token])
    refused = Client().get(start)
    assert refused.status_code == 403
    assert "personliga länkar" in refused.content.decode()
    english_client = Client()
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_client.get(start)
    assert "answers through personal links" in english.content.decode()
    _browser, began = begin_on_shared_link(politician_link)
    assert began.status_code == 403
    assert Response.objects.count() == 2
    rate = {r["group"].key: r for r in response_rates(open_round)}["politician"]
    assert (rate["submitted"], rate["via_invitation"], rate["invited"], rate["rate"]) == (
        2,
        2,
        2,
        1.0,
    )
    # Typed, the number opens the shared link to that many more.
    politician_link.invited_count = 1
    politician_link.save()
    assert answer_on_shared_link(politician_link).status_code == 200
    assert begin_on_shared_link(politician_link)[1].status_code == 403


def test_the_number_typed_cannot_go_below_those_who_answered(client_a, open_round, politician_link):
    answer_on_shared_link(politician_link)
    begin(Client(), politician_link)  # answering: holds a place
    url = reverse("assessments:round_invited", args=[open_round.pk, politician_link.pk])
    client_a.post(url, {"invited_count": "1"})
    politician_link.refresh_from_db()
    assert politician_link.invited_count is None


def test_one_client_cannot_begin_unbounded_responses_on_a_shared_link(settings, politician_link):
    settings.DIGILYFT_OPEN_STARTS_PER_HOUR = 3
    url = reverse("assessments:respond_begin", args=[politician_link.token])
    statuses = [Client().post(url).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Response.objects.count() == 3
    # Another link of the round, or another address, is counted apart.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(url).status_code == 302


def test_invitation_counts_are_one_query_per_page(
    open_round, politician_link, django_assert_max_num_queries
):
    invite(politician_link, *[f"p{i}@example.org" for i in range(20)])
    with django_assert_max_num_queries(1):
        links = list(link_counts(open_round))
    assert [link.invitation_count for link in links if link.pk == politician_link.pk] == [20]
    assert Invitation.objects.count() == 20


def test_the_results_page_tells_invitation_answers_from_shared_link_answers(
    client_a, open_round, politician_link
):
    from django.urls import reverse

    invite(politician_link, "a@example.org")
    politician_link.invited_count = 1
    politician_link.save()
    queue_invitations(open_round)
    run_worker()
    browser = Client()
    browser.post(personal_urls(mail.outbox)[0] + "begin/")
    answer_everything(browser, politician_link)
    answer_on_shared_link(politician_link)
    rate = {r["group"].key: r for r in response_rates(open_round)}["politician"]
    assert (rate["submitted"], rate["via_invitation"], rate["invited"]) == (2, 1, 2)
    page = client_a.get(reverse("results:round_results", args=[open_round.pk]))
    assert page.status_code == 200
