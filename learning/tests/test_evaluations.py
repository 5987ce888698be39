"""Workshop evaluations (issue 10): one evaluation per single-use participant link, and the
results only once the evaluation has closed, over at least the anonymity threshold.

The attacks go through the views, as a participant's or a coordinator's browser would."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.models import Evaluation, EvaluationCode, Participant, WorkshopRequest
from learning.workshops import evaluation_summary as workshop_summary

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="http://testserver(/e/[A-Z2-7-]+/)">')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.DIGILYFT_ANONYMITY_THRESHOLD = 5


@pytest.fixture
def workshop(org_a):
    """A held workshop with six registered participants."""
    workshop = WorkshopRequest.objects.create(
        organisation=org_a,
        format=WorkshopRequest.Format.HALF_DAY,
        status=WorkshopRequest.Status.HELD,
        wished_date_1=timezone.localdate() - timedelta(days=1),
        expected_politicians=3,
        expected_officials=3,
    )
    Participant.objects.bulk_create(
        Participant(request=workshop, target_group="politician") for _ in range(6)
    )
    return workshop


def as_user(user):
    browser = Client()
    browser.force_login(user)
    return browser


def detail_url(workshop):
    return reverse("learning:workshop_detail", args=[workshop.pk])


def make_links(browser, workshop, **data):
    """Press "make links" on the workshop page; return the links on the printed page."""
    url = reverse("learning:make_evaluation_links", args=[workshop.pk])
    page = browser.post(url, data or {"count": "6", "closes_on": ""}, follow=True)
    assert page.status_code == 200
    return LINK.findall(page.content.decode())


def answers(value):
    return {name: str(value) for name in Evaluation.QUESTIONS}


def load_and_send(browser, path, value=4):
    """What a browser does: load the form, then send it with whatever it carried."""
    page = browser.get(path)
    hidden = dict(HIDDEN.findall(page.content.decode()))
    hidden.pop("csrfmiddlewaretoken", None)
    return browser.post(path, {**hidden, **answers(value)})


def evaluated(coordinator, workshop, values):
    links = make_links(as_user(coordinator), workshop, count=str(len(values)))
    for path, value in zip(links, values, strict=True):
        assert load_and_send(Client(), path, value).status_code == 302
    return links


def close(browser, workshop):
    return browser.post(reverse("learning:close_evaluation", args=[workshop.pk]))


# --- the links ---------------------------------------------------------------------------------


def test_opening_makes_one_link_per_participant_shown_once_and_stored_hashed(client_a, workshop):
    page = client_a.get(detail_url(workshop))
    assert page.context["links_form"]["count"].value() == 6
    links = make_links(client_a, workshop)
    assert len(links) == len(set(links)) == 6
    codes = EvaluationCode.objects.filter(request=workshop)
    assert codes.count() == 6 and not codes.filter(used=True).exists()
    stored = set(codes.values_list("token_hash", flat=True))
    for path in links:
        code = path.split("/")[2]
        assert hashlib.sha256(code.replace("-", "").encode()).hexdigest() in stored
        assert not codes.filter(token_hash__contains=code).exists()
    workshop.refresh_from_db()
    assert workshop.evaluation_closes_on == timezone.localdate() + timedelta(days=14)
    again = client_a.get(reverse("learning:evaluation_links", args=[workshop.pk]))
    assert again["Cache-Control"] == "no-store"
    assert LINK.findall(again.content.decode()) == []
    assert 'id="no-fresh-links"' in again.content.decode()


def test_more_links_and_new_links_for_the_unused_ones(client_a, workshop):
    first = make_links(client_a, workshop, count="3", closes_on="")
    assert load_and_send(Client(), first[0]).status_code == 302
    assert len(make_links(client_a, workshop, count="2")) == 2
    assert EvaluationCode.objects.filter(request=workshop).count() == 5
    replaced = client_a.post(
        reverse("learning:replace_evaluation_links", args=[workshop.pk]), follow=True
    )
    fresh = LINK.findall(replaced.content.decode())
    assert len(fresh) == 4  # 2 unused from the first batch, 2 from the second
    assert Client().get(first[1]).status_code == 404  # a replaced link no longer works
    assert Client().get(fresh[0]).status_code == 200
    assert EvaluationCode.objects.filter(request=workshop, used=True).count() == 1
    assert Evaluation.objects.count() == 1


def test_links_only_for_a_held_workshop_and_closing_day_after_today(client_a, workshop):
    WorkshopRequest.objects.filter(pk=workshop.pk).update(status="confirmed")
    client_a.post(reverse("learning:make_evaluation_links", args=[workshop.pk]), {"count": "6"})
    assert not EvaluationCode.objects.exists()
    WorkshopRequest.objects.filter(pk=workshop.pk).update(status="held")
    today = timezone.localdate().isoformat()
    client_a.post(
        reverse("learning:make_evaluation_links", args=[workshop.pk]),
        {"count": "6", "closes_on": today},
    )
    assert not EvaluationCode.objects.exists()
    workshop.refresh_from_db()
    assert workshop.evaluation_closes_on is None


def test_a_code_row_carries_no_link_to_the_evaluation_and_no_time_of_day():
    code_fields = {f.name: f for f in EvaluationCode._meta.get_fields()}
    evaluation_fields = {f.name: f for f in Evaluation._meta.get_fields()}
    assert not any(getattr(f, "related_model", None) is Evaluation for f in code_fields.values())
    assert not any(
        getattr(f, "related_model", None) is EvaluationCode for f in evaluation_fields.values()
    )
    assert code_fields["used_on"].get_internal_type() == "DateField"
    assert evaluation_fields["submitted_on"].get_internal_type() == "DateField"
    assert "nonce" not in evaluation_fields


# --- (a), (b): one evaluation per link ---------------------------------------------------------


def test_the_same_browser_sending_twice_with_a_page_load_between_stores_one(client_a, workshop):
    path = make_links(client_a, workshop)[0]
    participant = Client()
    first = load_and_send(participant, path, 5)
    assert first.status_code == 302
    second = load_and_send(participant, path, 1)  # a fresh page load, then send again
    assert second.status_code == 302
    assert second.url == reverse("learning:evaluate_thanks", args=[path.split("/")[2]])
    assert participant.get(second.url).status_code == 200
    assert Evaluation.objects.count() == 1
    assert Evaluation.objects.get().overall == 5
    code = EvaluationCode.objects.get(used=True)
    assert code.used_on == timezone.localdate()


def test_a_used_link_is_refused_in_another_browser(client_a, workshop):
    path = make_links(client_a, workshop)[0]
    assert load_and_send(Client(), path).status_code == 302
    other = Client()
    page = other.get(path)
    assert page.status_code == 410
    assert 'id="evaluation-refused"' in page.content.decode()
    assert other.post(path, answers(1)).status_code == 410
    assert Evaluation.objects.count() == 1
    assert other.get(
        reverse("learning:evaluate_thanks", args=[path.split("/")[2]])
    ).status_code == (404)


def test_an_unknown_or_old_workshop_link_is_a_404(client_a, workshop):
    make_links(client_a, workshop)
    assert Client().get("/e/AAAA-BBBB-CCCC-DDDD/").status_code == 404
    old = reverse("learning:evaluate", args=[workshop.evaluation_token])
    assert Client().post(old, {"nonce": "x", **answers(5)}).status_code == 404
    assert not Evaluation.objects.exists()


def test_a_code_typed_from_the_slip_works_without_dashes_or_capitals(client_a, workshop):
    code = make_links(client_a, workshop)[0].split("/")[2]
    typed = reverse("learning:evaluate", args=[code.replace("-", "").lower()])
    assert load_and_send(Client(), typed).status_code == 302
    assert Evaluation.objects.count() == 1


def test_a_bad_evaluation_is_explained_and_the_link_stays_unused(client_a, workshop):
    path = make_links(client_a, workshop)[0]
    assert Client().post(path, answers(9)).status_code == 400
    assert not Evaluation.objects.exists()
    assert not EvaluationCode.objects.filter(used=True).exists()


# --- (c), (d): the summary only after closing, over the threshold ------------------------------


def test_while_open_no_means_are_shown_even_over_the_threshold(coordinator_a, staff_user, workshop):
    evaluated(coordinator_a, workshop, [5, 5, 5, 5, 4, 4])
    for user in (staff_user, coordinator_a):
        page = as_user(user).get(detail_url(workshop))
        html = page.content.decode()
        assert page.context["summary"]["means"] == {}
        assert not page.context["summary"]["published"]
        assert 'id="evaluation-means"' not in html
        assert 'id="evaluation-count"' in html
        assert "4,7" not in html and "4.7" not in html


def test_closed_under_the_threshold_shows_nothing_but_the_count(client_a, coordinator_a, workshop):
    links = evaluated(coordinator_a, workshop, [5, 5, 1, 1])
    spare = make_links(client_a, workshop, count="1")[0]
    assert close(client_a, workshop).status_code == 302
    page = client_a.get(detail_url(workshop))
    html = page.content.decode()
    assert page.context["summary"]["closed"]
    assert page.context["summary"]["n"] == 4
    assert page.context["summary"]["means"] == {}
    assert 'id="evaluation-means"' not in html
    assert re.search(r'id="evaluation-count">[^<]*4', html)
    assert "3,0" not in html and "3.0" not in html
    # Closed: no more evaluations, and no more links.
    assert load_and_send(Client(), spare).status_code == 410
    assert Client().get(links[0]).status_code == 410
    make_links(client_a, workshop, count="1")
    assert EvaluationCode.objects.count() == 5
    assert Evaluation.objects.count() == 4


def test_closed_over_the_threshold_shows_the_means_with_one_decimal(
    client_a, coordinator_a, staff_user, workshop
):
    evaluated(coordinator_a, workshop, [5, 5, 5, 4, 4])
    close(as_user(staff_user), workshop)
    page = client_a.get(detail_url(workshop))
    assert page.context["summary"]["published"]
    shown = page.context["summary"]["means"]
    # 4.6 with the deliberate noise of five answers (lib.cellkey: sd 2.0 / 5 on the mean).
    assert all(abs(mean - 4.6) < 2 for mean in shown.values())
    means = re.search(r'<ul id="evaluation-means">(.*?)</ul>', page.content.decode(), re.S)
    assert means
    for mean in shown.values():
        assert f"{mean:.1f}".replace(".", ",") in means.group(1)


def test_padding_an_evaluation_with_ones_own_links_does_not_reveal_the_real_answer(
    coordinator_a, staff_user, workshop
):
    """The coordinator makes five links, answers four themselves (all 3s) and lets one real
    participant answer 5. ``5 × mean − 12`` is that answer plus the noise of the sum, and the
    noise is the one fixed by exactly these five evaluations' record keys."""
    from lib.cellkey import noisy_mean

    evaluated(coordinator_a, workshop, [3, 3, 3, 3, 5])
    close(as_user(staff_user), workshop)
    workshop.refresh_from_db()
    shown = workshop_summary(workshop)["means"]
    key = sum(Evaluation.objects.values_list("record_key", flat=True))
    for question in Evaluation.QUESTIONS:
        expected = noisy_mean(17.0, 5, key, (f"workshop-{question}", workshop.pk))
        assert shown[question] == pytest.approx(expected)
    # Each question its own noise: four different readings, not one repeated.
    assert len({round(5 * mean - 12, 6) for mean in shown.values()}) == len(shown)


def test_the_closing_day_closes_it(coordinator_a, workshop):
    links = evaluated(coordinator_a, workshop, [3, 3, 3, 3, 3, 3])
    WorkshopRequest.objects.filter(pk=workshop.pk).update(evaluation_closes_on=timezone.localdate())
    assert Client().get(links[0]).status_code == 410
    page = as_user(coordinator_a).get(detail_url(workshop))
    assert page.context["summary"]["published"]


def test_marking_the_workshop_evaluated_closes_it(client, staff_user, coordinator_a, workshop):
    links = make_links(as_user(coordinator_a), workshop, count="2")
    client.force_login(staff_user)
    client.post(reverse("learning:workshop_move", args=[workshop.pk, "evaluated"]))
    workshop.refresh_from_db()
    assert workshop.status == "evaluated"
    assert load_and_send(Client(), links[0]).status_code == 410
    assert not Evaluation.objects.exists()


# --- (e): another organisation ------------------------------------------------------------------


def test_another_organisations_coordinator_gets_404_on_the_links_and_the_close(
    coordinator_a, client_b, workshop
):
    links_url = reverse("learning:evaluation_links", args=[workshop.pk])
    assert len(make_links(as_user(coordinator_a), workshop, count="2")) == 2
    assert as_user(coordinator_a).get(links_url).status_code == 200
    assert client_b.get(links_url).status_code == 404
    assert close(client_b, workshop).status_code == 404
    make_url = reverse("learning:make_evaluation_links", args=[workshop.pk])
    assert client_b.post(make_url, {"count": "5"}).status_code == 404
    replace_url = reverse("learning:replace_evaluation_links", args=[workshop.pk])
    assert client_b.post(replace_url).status_code == 404
    workshop.refresh_from_db()
    assert workshop.evaluation_closes_on > timezone.localdate()
    assert EvaluationCode.objects.count() == 2


def test_an_anonymous_visitor_cannot_make_links_or_close(workshop):
    anonymous = Client()
    assert anonymous.post(
        reverse("learning:make_evaluation_links", args=[workshop.pk])
    ).status_code == (302)
    assert close(anonymous, workshop).status_code == 302
    assert not EvaluationCode.objects.exists()
