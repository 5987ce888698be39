"""Property-based fuzzing (hypothesis) of the respondent endpoints and the uploads: whatever a
client sends, the answer is below 500, and a 4xx changes nothing in the database.

Runs on SQLite by default and on PostgreSQL with DATABASE_URL (where a NUL character in a
query is an error of its own)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Answer, Response
from invitations.models import Invitation
from learning.models import Evaluation
from registry.models import Organisation
from webinars.models import Registration
from webinars.tests.factories import make_session

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same cases every run: a failure is reproducible, never flaky
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Anything a client can send: NUL and other control characters, odd digits (², ①, Arabic),
# right-to-left marks, emoji, very long runs. Lone surrogates cannot be encoded in a request.
odd_text = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(["\x00", "²", "①", "٣", "\u202e", "%00", "'", '"', "<", "../", "😀"]),
    ),
    max_size=12,
).map("".join)
path_segment = odd_text.filter(lambda s: s and "/" not in s and "?" not in s and "#" not in s)


def snapshot() -> tuple:
    """The rows an anonymous request could write."""
    return (
        list(Response.objects.order_by("pk").values_list("pk", "gender", "submitted_on")),
        list(Answer.objects.order_by("pk").values_list("pk", "value")),
        Registration.objects.count(),
        Evaluation.objects.count(),
        list(Invitation.objects.order_by("pk").values_list("pk", "status", "opted_out")),
    )


def check(response, before):
    assert response.status_code < 500, response.status_code
    if 400 <= response.status_code < 500:
        assert snapshot() == before


@pytest.fixture
def started(politician_link):
    """A browser with a started response on the politicians' link."""
    browser = Client(raise_request_exception=False)
    browser.post(reverse("assessments:respond_begin", args=[politician_link.token]))
    return browser


@FUZZ
@given(segment=path_segment, suffix=st.sampled_from(["", "begin/", "saved/", "submit/", "new/"]))
def test_any_respondent_path_is_answered_below_500(politician_link, segment, suffix):
    browser = Client(raise_request_exception=False)
    for path in (
        f"/s/{segment}/{suffix}",
        f"/s/{politician_link.token}/page/{segment}/",
        f"/s/{politician_link.token}/i/{segment}/",
        f"/e/{segment}/",
        f"/webinars/r/{segment}/",
    ):
        before = snapshot()
        check(browser.get(path), before)
        check(browser.post(path, {"x": segment}), before)


@FUZZ
@given(query=odd_text)
def test_any_query_string_is_answered_below_500(politician_link, query):
    browser = Client(raise_request_exception=False)
    for name, args in (
        ("assessments:respond_start", [politician_link.token]),
        ("webinars:programme", []),
        ("learning:library", []),
    ):
        try:
            url = reverse(name, args=args)
        except Exception:  # a page this version does not have
            continue
        before = snapshot()
        check(browser.get(url, {"q": query, "page": query, "sort": query, query: "1"}), before)


@FUZZ
@given(query=odd_text)
def test_any_filter_of_the_national_picture_is_answered_below_500(staff_user, query):
    browser = Client(raise_request_exception=False)
    browser.force_login(staff_user)
    params = {"kind": query, "county": query, "group": query, "sort": query, "page": query}
    assert browser.get(reverse("results:national"), params).status_code < 500


@FUZZ
@given(item=odd_text, value=odd_text)
def test_any_autosave_is_answered_below_500(politician_link, started, item, value):
    url = reverse("assessments:respond_autosave", args=[politician_link.token])
    before = snapshot()
    check(started.post(url, {"item": item, "value": value}), before)
    before = snapshot()
    check(started.post(url, {"gender": value}), before)


@FUZZ
@given(fields=st.dictionaries(odd_text, odd_text, max_size=6))
def test_any_page_of_answers_is_answered_below_500(politician_link, started, fields):
    url = reverse("assessments:respond_page", args=[politician_link.token, 1])
    before = snapshot()
    check(started.post(url, fields), before)


@FUZZ
@given(name=odd_text, email=odd_text, group=odd_text)
def test_any_webinar_registration_is_answered_below_500(org_a, name, email, group):
    session = make_session()
    data = {"name": name, "email": email, "organisation": org_a.pk, "target_group": group}
    before = snapshot()
    response = Client(raise_request_exception=False).post(
        reverse("webinars:register", args=[session.pk]), data
    )
    check(response, before)


# --- uploads ---------------------------------------------------------------------------------

cell = st.one_of(
    odd_text,
    st.sampled_from(
        ["0001-01-01 00:00", "9999-12-31 23:59", "2026-05-01 10:00", "2026-05-01 09:00+14:00"]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.just("x" * 500),
    st.just('"' + "x" * 140_000 + '"'),  # over the csv module's field limit (131,072)
)
csv_rows = st.lists(st.lists(cell, min_size=1, max_size=9), max_size=6)


def as_csv(header: str, rows) -> bytes:
    lines = [header] + [",".join(row) for row in rows]
    return "\n".join(lines).encode("utf-8")


@FUZZ
@given(rows=csv_rows)
def test_any_attendance_file_is_answered_below_500(client, staff_user, rows):
    client.force_login(staff_user)
    session = make_session(hours_ahead=-2)
    before = list(Registration.objects.values_list("pk", "attended", "attended_minutes"))
    upload = SimpleUploadedFile("a.csv", as_csv("email,join_time,leave_time", rows))
    response = Client(raise_request_exception=False)
    response.force_login(staff_user)
    result = response.post(
        reverse("webinars:office_attendance", args=[session.pk]), {"file": upload}
    )
    assert result.status_code < 500
    if result.status_code >= 400:
        after = list(Registration.objects.values_list("pk", "attended", "attended_minutes"))
        assert after == before


@FUZZ
@given(text=odd_text, rows=csv_rows)
def test_any_invitation_list_is_answered_below_500(coordinator_a, open_round, text, rows):
    browser = Client(raise_request_exception=False)
    browser.force_login(coordinator_a)
    link = open_round.links.first()
    url = reverse("invitations:add_list", args=[open_round.pk])
    before = snapshot()
    upload = SimpleUploadedFile("list.csv", as_csv("email;language", rows))
    for data in (
        {"link": link.pk, "language": "sv", "addresses": text},
        {"link": link.pk, "language": "sv", "addresses": "", "upload": upload},
        {"link": text, "language": text, "addresses": text},
    ):
        check(browser.post(url, data), before)


REGISTRY_HEADER = "code,name,kind,county_code,county_name,kommungrupp,kommungrupp_name,population"


@FUZZ
@given(rows=csv_rows)
def test_any_registry_file_is_reported_not_raised(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("registry") / "orgs.csv"
    path.write_bytes(as_csv(REGISTRY_HEADER, rows))
    before = list(Organisation.objects.values_list("pk", "code", "name", "population"))
    err = io.StringIO()
    try:
        call_command("import_organisations", str(path), stdout=io.StringIO(), stderr=err)
    except CommandError:
        # Every bad line is named; nothing was imported.
        lines = [line for line in err.getvalue().splitlines() if line]
        assert lines and all(line.startswith("rad ") for line in lines), lines
        assert list(Organisation.objects.values_list("pk", "code", "name", "population")) == before


def test_the_registry_import_names_the_lines_it_refuses(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        REGISTRY_HEADER
        + "\n0114,Upplands\x00 Väsby kommun,municipality,01,Stockholms län,,,"
        + "\n0115,"
        + "V" * 121
        + ",municipality,01,Stockholms län,,,"
        + "\n0117,Österåkers kommun,municipality,01,Stockholms län,,,"
        + "9" * 40
        + "\n0120,Värmdö kommun,municipality,01,Stockholms län,,,²",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 error"):
        call_command("import_organisations", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["rad 2", "rad 3", "rad 4", "rad 5"]
    assert not Organisation.objects.exists()


def test_an_attendance_row_of_absurd_length_is_refused(client, staff_user):
    client.force_login(staff_user)
    session = make_session(hours_ahead=-2)
    upload = SimpleUploadedFile(
        "a.csv", b"email,join_time,leave_time\na@example.org,2026-05-01 10:00,2099-05-01 10:00"
    )
    page = client.post(reverse("webinars:office_attendance", args=[session.pk]), {"file": upload})
    assert page.status_code == 400
    assert "Rad 2" in page.content.decode()


def test_a_nul_character_in_an_address_is_a_400(client, politician_link):
    response = client.get(f"/s/{politician_link.token}\x00/")
    assert response.status_code == 400
    assert client.get("/webinars/", {"q": "a\x00"}).status_code == 400


def test_a_report_section_that_is_not_a_number_is_a_404(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("programme:report"), {"form": "section", "section": "abc", "heading": "x"}
    )
    assert response.status_code == 404
