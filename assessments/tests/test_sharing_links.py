"""The round page's open links: the full clickable address, a short one, a ready invitation
text in both languages, a QR code and a page to show it on a screen; and, per target group,
how many more answers its results need (counts only)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.sharing import qr_svg
from results.tests.factories import submit

pytestmark = pytest.mark.django_db


def detail(client, round_):
    return client.get(reverse("assessments:round_detail", args=[round_.pk]))


def screen_url(round_, link):
    return reverse("assessments:round_link_screen", args=[round_.pk, link.pk])


def test_each_group_has_its_full_clickable_address(client_a, open_round):
    body = detail(client_a, open_round).content.decode()
    for link in open_round.links.all():
        url = f"http://testserver/s/{link.token}/"
        assert f'<a href="{url}" id="link-{link.pk}">{url}</a>' in body


def test_the_site_address_setting_builds_the_links(client_a, open_round, settings):
    settings.DIGILYFT_SITE_URL = "https://digilyft.example/"
    body = detail(client_a, open_round).content.decode()
    link = open_round.links.first()
    assert f'href="https://digilyft.example/s/{link.token}/"' in body
    assert f'href="https://digilyft.example/k/{link.short_code}/"' in body
    assert "https://digilyft.example/privacy/" in body
    assert "http://testserver/s/" not in body


def test_the_invitation_text_names_organisation_date_time_and_privacy(client_a, open_round):
    page = detail(client_a, open_round)
    link = open_round.links.get(target_group__key="politician")
    body = page.content.decode()
    sv = re.search(rf'<textarea id="text-{link.pk}-sv"[^>]*>(.*?)</textarea>', body, re.S)[1]
    en = re.search(rf'<textarea id="text-{link.pk}-en"[^>]*>(.*?)</textarea>', body, re.S)[1]
    date = open_round.closes_on.isoformat()
    for text in (sv, en):
        assert "Trelleborgs kommun" in text
        assert date in text
        assert "10–15" in text
        assert "http://testserver/privacy/" in text
        assert f"http://testserver/s/{link.token}/" in text
    assert "Du är inbjuden att besvara självskattningen" in sv
    assert "You are invited to answer the self-assessment" in en
    assert sv != en
    # The page's language (Swedish) comes first; the other is folded away.
    assert body.index(f'id="text-{link.pk}-sv"') < body.index(f'id="text-{link.pk}-en"')


def test_the_copy_button_waits_for_the_script_and_announces_politely(client_a, open_round):
    body = detail(client_a, open_round).content.decode()
    link = open_round.links.first()
    button = re.search(rf'<button type="button"[^>]*data-copy="text-{link.pk}-sv"[^>]*>', body)[0]
    assert " hidden" in button
    assert 'role="status" aria-live="polite"' in body
    assert "assessments/share.js" in body


def test_the_qr_code_is_an_inline_image_with_a_name(client_a, open_round):
    body = detail(client_a, open_round).content.decode()
    link = open_round.links.get(target_group__key="official")
    svg = qr_svg(f"http://testserver/s/{link.token}/", "x")
    path = re.search(r'<path class="qrline"[^>]*d="([^"]+)"', svg)[1]
    assert path in body  # the very code of this link's address
    assert re.search(r'<svg role="img" aria-label="[^"]+" focusable="false"', body)


def test_the_qr_label_is_escaped():
    svg = qr_svg("https://x.example/", 'a "quoted" <b>')
    assert 'aria-label="a &quot;quoted&quot; &lt;b&gt;"' in svg
    assert "<b>" not in svg


def test_no_sharing_tools_when_the_shared_links_are_off(client_a, open_round):
    open_round.open_links = False
    open_round.save(update_fields=["open_links"])
    body = detail(client_a, open_round).content.decode()
    assert "data-copy=" not in body
    assert "<svg" not in body
    link = open_round.links.first()
    assert f"/s/{link.token}/" in body  # the address itself is still named


def test_the_screen_page_shows_a_big_code_and_the_short_address(client_a, open_round):
    link = open_round.links.get(target_group__key="key_person")
    page = client_a.get(screen_url(open_round, link))
    assert page.status_code == 200
    body = page.content.decode()
    assert f"http://testserver/k/{link.short_code}/" in body
    assert 'class="screen-qr"><svg role="img"' in body
    assert "Trelleborgs kommun" in body


def test_the_screen_page_is_the_coordinators_own(client_b, open_round):
    link = open_round.links.first()
    assert client_b.get(screen_url(open_round, link)).status_code in (403, 404)
    assert Client().get(screen_url(open_round, link)).status_code == 302  # to the login


def test_an_unknown_link_of_the_round_is_404(client_a, open_round):
    url = reverse("assessments:round_link_screen", args=[open_round.pk, 987654])
    assert client_a.get(url).status_code == 404


def test_the_short_address_leads_to_the_link(open_round):
    link = open_round.links.first()
    assert len(link.short_code) == 8
    result = Client().get(f"/k/{link.short_code.upper()}/")
    assert result.status_code == 302
    assert result["Location"] == f"/s/{link.token}/"
    assert Client().get("/k/nosuchcd/").status_code == 404


def test_every_link_gets_its_own_short_code(open_round):
    codes = list(open_round.links.values_list("short_code", flat=True))
    assert len(set(codes)) == len(codes) == 3


def test_each_group_says_how_many_more_answers_its_results_need(client_a, open_round, settings):
    settings.DIGILYFT_ANONYMITY_THRESHOLD = 5
    submit(open_round.links.get(target_group__key="politician"), 2)
    submit(open_round.links.get(target_group__key="official"), 5)
    page = detail(client_a, open_round)
    rows = {link.target_group.key: link.answers_short for link, _url in page.context["links"]}
    assert rows == {"politician": 3, "official": 0, "key_person": 5}
    with_english(settings)
    body = detail(client_a, open_round).content.decode()
    assert "3 more answers in this group and its results can be published" in body
    assert "5 more answers in this group and its results can be published" in body
    assert "Enough answers to publish" in body
    assert "at least 5 people" in body


def test_the_hint_follows_the_threshold_and_tells_only_counts(client_a, open_round, settings):
    settings.DIGILYFT_ANONYMITY_THRESHOLD = 3
    with_english(settings)
    submit(open_round.links.get(target_group__key="politician"), 2)
    body = detail(client_a, open_round).content.decode()
    assert "1 more answer in this group and its results can be published" in body
    # Results still wait for the close: no mean, no interval, no answer.
    assert "item-" not in body
    assert "Mean" not in body and "Medel" not in body


def with_english(settings):
    settings.LANGUAGE_CODE = "en"


def test_the_sharing_pages_write_nothing(client_a, open_round):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    link = open_round.links.first()
    detail(client_a, open_round)  # the session is written once, at login
    for url in (
        reverse("assessments:round_detail", args=[open_round.pk]),
        screen_url(open_round, link),
        f"/k/{link.short_code}/",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(url).status_code in (200, 302)
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if re.match(r"^\s*(INSERT|UPDATE|DELETE)\b", q["sql"], re.I)
        ]
        assert writes == [], url
