"""Target groups come from the framework versions: a framework with other groups is counted
in full by the reach, gender and report figures, and its groups are offered by webinars and
workshops (``frameworks.groups``)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from frameworks.groups import target_group_choices
from frameworks.loading import load_framework_data, version_as_data
from programme import reach
from programme.report import gather
from results.tests.factories import link, make_round, submit
from webinars.forms import RegistrationForm

RENAMED = {"politician": "board", "official": "manager", "key_person": "citizen_panel"}


@pytest.fixture
def other_version(version):
    """The default framework's content as another framework whose groups have other keys."""
    data = version_as_data(version)
    data["framework"] = {"key": "other", "name_sv": "Annat ramverk", "name_en": "Other"}
    data["version"]["number"] = 1
    for group in data["target_groups"]:
        group["key"] = RENAMED[group["key"]]
        group["name_sv"] = group["name_en"] = f"Grupp {group['key']}"
    for area in data["goal_areas"]:
        for goal in area["goals"]:
            for item in goal["items"]:
                item["target_groups"] = [RENAMED[key] for key in item["target_groups"]]
    return load_framework_data(data)[0]


@pytest.fixture
def answered(org_a, other_version):
    round_ = make_round(org_a, other_version, name="Annan omgång")
    submit(link(round_, "board"), 6, value=3, gender="woman")
    submit(link(round_, "manager"), 5, value=3, gender="man")
    return round_


def test_the_other_frameworks_groups_are_offered(other_version):
    keys = [key for key, _name in target_group_choices()]
    assert {"board", "manager", "citizen_panel", "politician", "official"} <= set(keys)
    form_keys = [key for key, _ in RegistrationForm().fields["target_group"].choices]
    assert "citizen_panel" in form_keys


def test_reach_and_gender_count_respondents_of_other_groups(answered):
    cells = reach.participants()
    assert cells["assessments"] == {("board", "woman"): 6, ("manager", "man"): 5}
    rows = {row.group: row for row in reach.gender_analysis(cells)}
    assert (rows["board"].women, rows["board"].men, rows["board"].label) == (6, 0, "Grupp board")
    assert (rows["manager"].women, rows["manager"].men) == (0, 5)
    assert sum(row.total for row in rows.values()) == 11  # nobody dropped


def test_the_report_and_the_reach_page_carry_the_other_groups(staff_client, answered):
    figures = gather(date.today() - timedelta(days=30), date.today() + timedelta(days=1))
    by_group = {row.group: row.total for row in figures["gender"]}
    assert by_group["board"] == 6 and by_group["manager"] == 5
    page = staff_client.get(reverse("programme:reach"), {"period": "all"})
    assert {row.group: row.total for row in page.context["gender"]}["board"] == 6
    assert "Grupp board" in page.content.decode()


@pytest.mark.django_db
def test_a_group_no_framework_knows_is_still_counted_under_its_key():
    rows = reach.gender_analysis({"webinars": {("retired_key", "woman"): 7}})
    assert {row.group: row.women for row in rows}["retired_key"] == 7
