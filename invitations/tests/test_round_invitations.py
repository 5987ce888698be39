"""The coordinator's invitation page, tested against every persona."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Round
from invitations.models import Invitation, ReminderDay


def urls(round_):
    return {
        name: reverse(f"invitations:{name}", args=[round_.pk])
        for name in ("round_invitations", "add_list", "send", "reminders", "open_links")
    }


def test_only_the_rounds_own_coordinator_and_staff_reach_it(
    client, client_b, open_round, politician_link
):
    page = urls(open_round)["round_invitations"]
    assert client_b.get(page).status_code == 404
    for name, url in urls(open_round).items():
        if name != "round_invitations":
            assert client_b.post(url, {"link": politician_link.pk}).status_code == 404
    client_b.logout()
    assert client.get(page).status_code == 302  # to the login page
    assert not Invitation.objects.exists() and not ReminderDay.objects.exists()


def test_only_the_rounds_own_coordinator_and_staff_follow_the_sending(client, client_b, open_round):
    progress = reverse("invitations:sending_progress", args=[open_round.pk])
    assert client_b.get(progress).status_code == 404
    client_b.logout()
    assert client.get(progress).status_code == 302  # to the login page


def test_staff_see_the_page(staff_client, open_round):
    assert staff_client.get(urls(open_round)["round_invitations"]).status_code == 200


def test_a_pasted_list_is_added_and_counted(client_a, open_round, politician_link):
    data = {"link": politician_link.pk, "language": "sv", "addresses": "a@x.se\nb@x.se;en\na@x.se"}
    assert client_a.post(urls(open_round)["add_list"], data).status_code == 302
    assert dict(Invitation.objects.values_list("email", "language")) == {
        "a@x.se": "sv",
        "b@x.se": "en",
    }
    page = client_a.get(urls(open_round)["round_invitations"]).content.decode()
    assert "a@x.se" not in page  # addresses are not shown, only counts


def test_a_bad_list_is_reported_line_by_line_and_nothing_is_stored(
    client_a, open_round, politician_link
):
    upload = SimpleUploadedFile("l.csv", "E-post\nok@x.se\nfel\n".encode("cp1252"))
    data = {"link": politician_link.pk, "language": "sv", "upload": upload}
    response = client_a.post(urls(open_round)["add_list"], data)
    assert response.status_code == 400
    errors = response.context["list_errors"]
    assert [e.number for e in errors] == [3]
    assert "fel" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_csv_field_longer_than_the_csv_module_takes_is_a_clear_refusal(
    client_a, open_round, politician_link
):
    long_field = "E-post;Språk\nok@x.se;sv\n" + '"' + "a" * 140_000 + '"' + ";sv\n"
    upload = SimpleUploadedFile("l.csv", long_field.encode())
    data = {"link": politician_link.pk, "language": "sv", "upload": upload}
    response = client_a.post(urls(open_round)["add_list"], data)
    assert response.status_code == 400
    assert [e.number for e in response.context["list_errors"]] == [3]
    assert "1000" in response.content.decode().replace("\xa0", "").replace(" ", "")
    assert not Invitation.objects.exists()


def test_a_list_for_another_rounds_link_is_refused(client_a, open_round, org_a, version):
    from results.tests.factories import make_round

    other = make_round(org_a, version, name="Annan")
    data = {"link": other.links.first().pk, "language": "sv", "addresses": "a@x.se"}
    assert client_a.post(urls(open_round)["add_list"], data).status_code == 400
    assert not Invitation.objects.exists()


def test_a_closed_round_takes_no_more_addresses(client_a, open_round, politician_link):
    from assessments.rounds import close_early

    close_early(open_round)
    data = {"link": politician_link.pk, "language": "sv", "addresses": "a@x.se"}
    client_a.post(urls(open_round)["add_list"], data)
    assert not Invitation.objects.exists()


def test_sending_is_queued_for_the_worker_not_done_in_the_request(
    client_a, open_round, politician_link, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    client_a.post(
        urls(open_round)["add_list"],
        {"link": politician_link.pk, "language": "sv", "addresses": "a@x.se"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client_a.post(urls(open_round)["send"]).status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path__endswith="send_invitations").count() == 1


def test_the_reminder_schedule_is_validated_and_saved(client_a, open_round):
    assert client_a.post(urls(open_round)["reminders"], {"days": "7, x"}).status_code == 400
    assert not ReminderDay.objects.exists()
    assert client_a.post(urls(open_round)["reminders"], {"days": "7; 2"}).status_code == 302
    assert list(ReminderDay.objects.values_list("days_before", flat=True)) == [7, 2]
    client_a.post(urls(open_round)["reminders"], {"days": "3"})
    assert list(ReminderDay.objects.values_list("days_before", flat=True)) == [3]


def test_the_shared_links_can_be_switched_off_and_on(client_a, open_round):
    client_a.post(urls(open_round)["open_links"], {})
    assert Round.objects.get().open_links is False
    client_a.post(urls(open_round)["open_links"], {"open_links": "on"})
    assert Round.objects.get().open_links is True


def test_the_page_takes_a_fixed_number_of_queries(
    client_a, open_round, politician_link, django_assert_max_num_queries
):
    from .helpers import invite

    invite(politician_link, *[f"p{i}@x.se" for i in range(30)])
    with django_assert_max_num_queries(12):
        assert client_a.get(urls(open_round)["round_invitations"]).status_code == 200
