"""Numbers and words as drawn in Swedish, in a real Chromium on a phone, a narrow laptop
window and a laptop: no line breaks inside a number or an amount ("10 000 / 000,00 kr"), and
no word is broken without a hyphen ("Nollmätnin / g"), on the office's pages with amounts and
wide tables, the coordinator's results and an action plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.tests.browser import assert_accessible, broken_text, log_in
from plans import actions
from programme.models import Cost
from results.tests.factories import link, make_round, publish, submit

WIDTHS = {"phone": [390], "desktop": [800, 1000, 1366]}


@pytest.fixture
def figures(transactional_db, org_a, org_b, version, coordinator_a):
    call_command("load_programme_defaults", verbosity=0)  # grants of millions of kronor
    Cost.objects.create(activity="workshops", date=date(2019, 11, 20), amount=Decimal("950000"))
    rounds = []
    for org in (org_a, org_b):
        round_ = make_round(org, version, name=f"Nollmätning {org.name}")
        submit(link(round_, "politician"), 6, value=lambda i, item: 1 + (item.pk + i) % 5)
        submit(link(round_, "official"), 6, value=lambda i, item: 1 + (item.pk * 3 + i) % 5)
        rounds.append(publish(round_))
    plan = actions.plan_from_round(rounds[0], coordinator_a)
    actions.set_target(plan.goals.first(), "3,5", coordinator_a)
    return rounds[0], plan


@pytest.mark.browser
def test_the_check_finds_a_broken_number_and_a_word_broken_without_a_hyphen(new_context):
    page = new_context("phone").new_page()
    page.set_content(
        '<main><p style="width: 5.5em">Bidrag 10 000 000,00 kr</p>'
        '<p style="width: 3em; overflow-wrap: anywhere">Nollmätning</p></main>'
    )
    found = broken_text(page)
    assert any("number" in problem for problem in found), found
    assert any("word" in problem for problem in found), found
    page.set_content(
        '<main><p style="width: 5.5em">Bidrag 10\u202f000\u202f000,00\u00a0kr</p>'
        '<p style="width: 3em">Noll\u00admät\u00adning</p></main>'
    )
    assert broken_text(page) == []


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_no_number_or_word_is_broken_on_the_pages_with_figures(
    live_server, new_context, staff_user, coordinator_a, figures, viewport
):
    round_, plan = figures
    pages = {
        staff_user: [
            "/programme/",
            "/programme/budget/",
            "/programme/report/",
            "/programme/reach/",
        ],
        coordinator_a: [f"/coordinator/rounds/{round_.pk}/results/", f"/plans/{plan.pk}/"],
    }
    for user, paths in pages.items():
        page = new_context(viewport).new_page()
        log_in(page, live_server.url, user.username)
        for width in WIDTHS[viewport]:
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                assert page.goto(live_server.url + path).status == 200, path
                assert broken_text(page) == [], f"{path} at {width} px"
        assert_accessible(page)
