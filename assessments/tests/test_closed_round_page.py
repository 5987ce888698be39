"""After a round closes, its page says what was published and why anything is hidden — the same
as its results page — and no longer asks for "1 more answer"; its invited counts cannot be
changed (the form is gone, and a posted change is refused with a message and changes nothing)."""

import re

from django.contrib.messages import get_messages
from django.urls import reverse

from results.tests.factories import link, publish, submit


def _page(client, round_):
    return client.get(reverse("assessments:round_detail", args=[round_.pk])).content.decode()


def _published(page) -> list[str]:
    return re.findall(r'data-published="(\w+)"', page)


def _results_groups(client, round_) -> list[str]:
    """Per target group, what the results page shows for it: "shown" when any of its goal-area
    figures is, "linked" or "suppressed" when hidden, "none" when it holds nobody."""
    results = client.get(reverse("results:round_results", args=[round_.pk])).context["results"]
    found = []
    for group in results.groups:
        figures = [row.by_group[group.pk] for row in results.areas]
        if any(f.estimate for f in figures):
            found.append("shown")
        elif any(f.linked for f in figures):
            found.append("linked")
        elif any(f.suppressed for f in figures):
            found.append("suppressed")
        else:
            found.append("none")
    return found


def test_a_closed_round_says_what_was_published_per_group(client_a, open_round):
    submit(link(open_round, "politician"), 6)
    submit(link(open_round, "official"), 6)
    before = _page(client_a, open_round)
    assert "svar till i den här gruppen" in before  # while open: the third group needs answers
    publish(open_round)
    page = _page(client_a, open_round)
    assert "svar till i den här gruppen" not in page
    assert 'id="closed-note"' in page and "12 svarande" in page
    assert _published(page) == _results_groups(client_a, open_round)
    assert _published(page)[:2] == ["shown", "shown"]
    assert 'name="invited_count"' not in page


def test_a_group_below_the_threshold_is_hidden_alone_as_the_results_say(client_a, open_round):
    submit(link(open_round, "politician"), 6)
    # One short: hidden. The politicians stay shown: every figure is perturbed, so the total
    # minus them is not the officials' figure (no complementary suppression, issue 21).
    submit(link(open_round, "official"), 4)
    assert "1 svar till i den här gruppen" in _page(client_a, open_round)
    publish(open_round)
    page = _page(client_a, open_round)
    assert "svar till i den här gruppen" not in page
    assert _published(page) == _results_groups(client_a, open_round)
    assert _published(page)[:2] == ["shown", "suppressed"]


def test_a_closed_round_below_the_threshold_says_it_is_not_published(client_a, open_round):
    submit(link(open_round, "politician"), 2)
    publish(open_round)
    page = _page(client_a, open_round)
    assert "Resultaten publiceras inte" in page
    assert "svar till i den här gruppen" not in page


def test_the_invited_count_of_a_closed_round_cannot_be_changed(client_a, open_round):
    target = link(open_round, "politician")
    url = reverse("assessments:round_invited", args=[open_round.pk, target.pk])
    client_a.post(url, {"invited_count": "12"})
    publish(open_round)
    response = client_a.post(url, {"invited_count": "40"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.invited_count == 12
    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert message.startswith("Omgången är stängd, så antalet inbjudna kan inte längre ändras")
