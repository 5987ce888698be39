"""A held webinar's anonymous evaluation: one single-use link per confirmed registrant, made
and mailed by the worker, with no key between a link (or an answer) and the registration;
the results show only once closed and only over at least the threshold."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from learning.workshops import hash_code
from webinars import evaluations
from webinars.models import Evaluation, EvaluationCode, Registration

from .factories import make_session, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = {"relevance": "4", "usefulness": "5", "overall": "3"}


def registrant(session, org, email, status="confirmed"):
    return Registration.objects.create(
        session=session,
        name="X",
        email=email,
        organisation=org,
        target_group="official",
        status=status,
    )


def codes_in_outbox():
    return [re.search(r"/webinars/e/([A-Z0-9-]+)/", m.body).group(1) for m in mail.outbox]


@pytest.fixture
def held(org_a):
    session = make_session(hours_ahead=-3)
    for i in range(6):
        registrant(session, org_a, f"p{i}@example.org")
    registrant(session, org_a, "w@example.org", status="waiting")
    registrant(session, org_a, "c@example.org", status="cancelled")
    return session


def test_each_confirmed_registrant_gets_one_link_once(held, staff_client):
    url = reverse("webinars:office_open_evaluation", args=[held.pk])
    staff_client.post(url)
    staff_client.post(url)  # pressed twice: the worker sends nothing more
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{i}@example.org" for i in range(6)]
    assert len(set(codes_in_outbox())) == 6 and EvaluationCode.objects.count() == 6
    held.refresh_from_db()
    assert held.evaluation_closes_on == timezone.localdate() + timedelta(days=14)


def test_nothing_ties_a_link_or_an_answer_to_a_registration(held, client):
    evaluations.open_evaluation(held)
    run_worker()
    code = codes_in_outbox()[0]
    client.post(reverse("webinars:evaluate", args=[code]), ANSWERS)
    # No column anywhere refers from a code or an evaluation to a registration…
    for model in (EvaluationCode, Evaluation):
        names = {f.name for f in model._meta.get_fields()}
        assert names.isdisjoint({"registration", "email", "name", "token"}), model
    # …and the codes themselves are not stored, only their hashes.
    with connection.cursor() as cursor:
        cursor.execute("SELECT token_hash FROM webinars_evaluationcode")
        stored = {row[0] for row in cursor.fetchall()}
    assert code not in stored and hash_code(code) in stored


def test_a_link_works_once(held, client):
    evaluations.open_evaluation(held)
    run_worker()
    url = reverse("webinars:evaluate", args=[codes_in_outbox()[0]])
    assert client.get(url).status_code == 200
    assert client.post(url, ANSWERS).status_code == 302
    other_device = client.__class__()
    assert other_device.post(url, ANSWERS).status_code == 410
    assert other_device.get(url).status_code == 410
    assert Evaluation.objects.count() == 1


def test_an_unknown_link_is_a_404_and_a_bad_answer_a_400(held, client):
    evaluations.open_evaluation(held)
    run_worker()
    assert client.get(reverse("webinars:evaluate", args=["AAAA-BBBB"])).status_code == 404
    url = reverse("webinars:evaluate", args=[codes_in_outbox()[0]])
    assert client.post(url, {**ANSWERS, "overall": "9"}).status_code == 400
    assert not Evaluation.objects.exists() and not EvaluationCode.objects.filter(used=True).exists()


def test_an_upcoming_webinar_cannot_be_evaluated(org_a, staff_client):
    session = make_session(hours_ahead=24)
    staff_client.post(reverse("webinars:office_open_evaluation", args=[session.pk]))
    session.refresh_from_db()
    assert session.evaluation_closes_on is None and not EvaluationCode.objects.exists()


def test_a_closed_evaluation_takes_no_more_answers(held, client):
    evaluations.open_evaluation(held)
    run_worker()
    evaluations.close_evaluation(held)
    url = reverse("webinars:evaluate", args=[codes_in_outbox()[0]])
    assert client.post(url, ANSWERS).status_code == 410
    assert not Evaluation.objects.exists()


def answer_with(count, held):
    evaluations.open_evaluation(held)
    run_worker()
    for code in codes_in_outbox()[:count]:
        evaluations.submit_evaluation(held, code, {"relevance": 4, "usefulness": 5, "overall": 3})


def test_results_show_once_closed_and_over_the_threshold(held, staff_client):
    answer_with(5, held)
    page = staff_client.get(reverse("webinars:office_attendance", args=[held.pk])).content.decode()
    assert 'id="evaluation-count"' in page and 'id="evaluation-results"' not in page  # open
    staff_client.post(reverse("webinars:office_close_evaluation", args=[held.pk]))
    page = staff_client.get(reverse("webinars:office_attendance", args=[held.pk])).content.decode()
    assert 'id="evaluation-results"' in page
    # 4 and 5, with the deliberate noise of five answers (lib.cellkey).
    for mean in evaluations.summary(held)["means"].values():
        assert f"{mean:.1f}".replace(".", ",") in page


def test_under_the_threshold_nothing_is_shown(held, staff_client):
    answer_with(4, held)
    evaluations.close_evaluation(held)
    summary = evaluations.summary(held)
    assert summary["n"] == 4 and not summary["published"] and summary["means"] == {}
    page = staff_client.get(reverse("webinars:office_attendance", args=[held.pk])).content.decode()
    assert 'id="evaluation-too-few"' in page and 'id="evaluation-results"' not in page


def test_only_staff_open_and_close(held, client_a):
    for name in ("webinars:office_open_evaluation", "webinars:office_close_evaluation"):
        assert client_a.post(reverse(name, args=[held.pk])).status_code == 403
    held.refresh_from_db()
    assert held.evaluation_closes_on is None


def test_no_order_or_transaction_ties_a_stored_code_to_its_registrant(org_a):
    """A database reader must not follow registration → code → evaluation: the codes of one
    sending are stored in one shuffled batch before any mail goes, so neither their ids nor
    their transaction follow the order in which the registrants were mailed."""
    from django.db import connection

    from lib.tokens import hash_code

    session = make_session(hours_ahead=-3)
    for i in range(10):
        registrant(session, org_a, f"p{i}@example.org")
    evaluations.open_evaluation(session)
    run_worker()
    mailed = [hash_code(code) for code in codes_in_outbox()]  # in the order the mails went
    ids = dict(EvaluationCode.objects.values_list("token_hash", "pk"))
    assert len(mailed) == 10 and set(mailed) == set(ids)
    assert [ids[h] for h in mailed] != sorted(ids.values())  # 1 in 3,628,800 by chance
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT xmin::text) FROM webinars_evaluationcode")
            assert cursor.fetchone() == (1,)  # one statement, one transaction, for all ten
