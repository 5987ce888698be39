"""The disclosure attacks on the resident pulse's figures, carried out through the open API and
the bulk files (the simulations over many pulses are in ``pulse/tests/test_disclosure.py``):
before and after, a total beside a gender that differs by one person, padding, homogeneity."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_org
from pulse.figures import pooled_share
from pulse.models import PulseFigure
from pulse.publication import cross_cells, publish_pulse, shown_share
from pulse.pulses import close_early, start_pulse

from .conftest import answer_pulse, open_pulse
from .test_attacks import bulk_lines
from .test_same_figures import api_rows

pytestmark = pytest.mark.django_db
K = 5


def _kpis(pulse) -> list[str]:
    return [f"DL{pulse.version_id}R{s.pk}" for s in pulse.version.statements.all()]


def _values(client, pulse, municipality) -> dict:
    """{kpi: {gender letter: value}} the data endpoint serves for the pulse's statements."""
    rows = api_rows(
        client, f"/api/v1/data/kpi/{','.join(_kpis(pulse))}/municipality/{municipality}"
    )
    return {r["kpi"]: {v["gender"]: v for v in r["values"]} for r in rows}


def test_a_pulse_is_served_nowhere_until_published_and_then_once_for_good(client, org_a):
    """Before: an open pulse's answers are in no KPI, row or bulk line. After closing it is
    published once; the known person who tries to answer afterwards is refused, publishing
    again changes nothing, and so no second figure differs from the first by that person."""
    pulse = open_pulse(org_a)
    answer_pulse(pulse, 6, 4, gender="woman")
    kpi = _kpis(pulse)[0]
    before = client.get(f"/api/v1/data/kpi/{kpi}/municipality/1287,0000").json()
    assert before["values"] == [] and client.get("/api/v1/kpi").json()["count"] == 0
    assert bulk_lines(client) == []

    close_early(pulse)
    served = _values(client, pulse, "1287,0000")
    assert served[kpi]["T"]["status"] == "" and served[kpi]["K"]["status"] == ""
    lines = bulk_lines(client)

    answer = Client().post(reverse("pulse:answer", args=[pulse.token]), {"started": "x"})
    assert answer.status_code == 410  # closed: the known person's answer is not taken
    assert publish_pulse(pulse) == pulse.publication  # published once, never again
    assert _values(client, pulse, "1287,0000") == served
    assert bulk_lines(client) == lines


def test_a_second_pulse_with_the_same_residents_plus_one_has_noise_of_its_own(client, org_a):
    """The same six residents answer a pulse last year and this year, and one more this year.
    Each answer has its own record key, so the two figures have unrelated noise: the API and
    the bulk file serve both, each perturbed by its own cell key (how little the difference
    tells over many pulses: ``pulse/tests/test_disclosure.py``)."""
    today = timezone.localdate()
    last_year = start_pulse(
        organisation=org_a,
        user=None,
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=380),
    )
    answer_pulse(last_year, 6, lambda i, s: 1 + (i + s.pk) % 5)
    publish_pulse(last_year)
    this_year = open_pulse(org_a)
    answer_pulse(this_year, 6, lambda i, s: 1 + (i + s.pk) % 5)
    answer_pulse(this_year, 1, 5)  # the one more
    close_early(this_year)
    old, new = cross_cells(last_year), cross_cells(this_year)
    years = (last_year.closes_on.year, today.year)
    rows = api_rows(client, f"/api/v1/data/kpi/{_kpis(this_year)[0]}/municipality/1287")
    assert [r["period"] for r in rows] == list(years)
    for statement in this_year.version.statements.all():
        before, after = old[statement.pk][("", "other")], new[statement.pk][("", "other")]
        assert before.key != after.key  # fresh record keys: another cell, other noise
        for pulse, sums in ((last_year, before), (this_year, after)):
            figure = PulseFigure.objects.get(
                publication__pulse=pulse, statement=statement, breakdown=""
            )
            assert (figure.shown_respondents, figure.shown_percent) == shown_share(
                sums, statement.pk, K
            )
    lines = [line for line in bulk_lines(client) if line["kpi"] == _kpis(this_year)[0]]
    assert sorted(int(line["period"]) for line in lines) == sorted(years)


@pytest.mark.parametrize(
    ("genders", "shown"),
    [
        # Six women and one man: "all" minus "women" would be the man. Both are hidden.
        ({"woman": 6, "man": 1}, set()),
        # Six women, five men and one who gave another gender: the one is never shown on its
        # own, and "all" minus women minus men would be that one, so the men go too.
        ({"woman": 6, "man": 5, "other": 1}, {"K"}),
        # One who gave no gender beside six women and five men: the same.
        ({"woman": 6, "man": 5, "": 1}, {"K"}),
    ],
)
def test_a_total_and_a_gender_never_differ_by_one_person(client, org_a, org_b, genders, shown):
    pulse = open_pulse(org_a)
    for gender, count in genders.items():
        answer_pulse(pulse, count, lambda i, s: 1 + (i + s.pk) % 5, gender=gender)
    close_early(pulse)
    for where in ("1287", "0000", "GL12"):
        for kpi, values in _values(client, pulse, where).items():
            assert values["T"]["status"] == "", (kpi, where)
            assert {g for g, v in values.items() if g != "T" and v["status"] == ""} == shown
            for value in values.values():
                if value["status"] == "..":
                    assert value["value"] is None and value["x_n"] is None
    hidden = [x for x in bulk_lines(client) if x["gender"] != "T" and x["gender"] not in shown]
    assert hidden and all(x["status"] == ".." and x["value"] == x["x_n"] == "" for x in hidden)


def test_padding_through_the_api_reads_only_the_perturbed_share(client, org_a):
    """The coordinator answers four times "3" beside one real "5" and reads the open data:
    the organisation's value is the perturbed share, and the country and county — this pulse
    alone — serve that very figure, not a second look with other noise. A neighbour's pulse
    in the county makes the county the weighted mean of the two published figures: nothing
    the two rows do not already say."""
    pulse = open_pulse(org_a)
    answer_pulse(pulse, 4, 3)
    answer_pulse(pulse, 1, 5)
    cells = cross_cells(pulse)
    close_early(pulse)
    own = _values(client, pulse, "1287")
    for statement in pulse.version.statements.all():
        kpi = f"DL{pulse.version_id}R{statement.pk}"
        n, percent = shown_share(cells[statement.pk][("", "other")], statement.pk, K)
        assert (own[kpi]["T"]["value"], own[kpi]["T"]["x_n"]) == (percent, n)
    for where in ("0000", "GL12", "GKB3"):
        pooled = _values(client, pulse, where)
        assert {k: v["T"]["value"] for k, v in pooled.items()} == {
            k: v["T"]["value"] for k, v in own.items()
        }
    # Without the noise the real answer could be read off every statement; with it, not.
    real_share = 20  # one of five agrees
    assert any(v["T"]["value"] != real_share for v in own.values())

    neighbour = make_org("1280", "Malmö stad", kg="A1")
    other = open_pulse(neighbour)
    answer_pulse(other, 8, lambda i, s: 1 + (i * 2 + s.pk) % 5)
    close_early(other)
    county = _values(client, pulse, "GL12")
    theirs = _values(client, other, "1280")
    for kpi, values in county.items():
        parts = [(v["T"]["value"], v["T"]["x_n"]) for v in (own[kpi], theirs[kpi])]
        percent, n = pooled_share(parts)
        assert (values["T"]["value"], values["T"]["x_n"], values["T"]["count"]) == (percent, n, 2)


def test_a_group_that_all_agreed_does_not_look_so_in_the_open_data(client, org_a):
    """Homogeneity: five residents, all women, agree fully with every statement. Without the
    noise every figure would read 100 %, and so tell everyone each one's answer; a shown
    100 % happens for about one statement in 200 (``pulse/tests/test_disclosure.py``), and as
    often when one of them disagreed."""
    pulse = open_pulse(org_a)
    answer_pulse(pulse, 5, 5, gender="woman")
    answer_pulse(pulse, 5, 2, gender="man")
    close_early(pulse)
    served = _values(client, pulse, "1287")
    women = [values["K"]["value"] for values in served.values()]
    assert len(women) == len(_kpis(pulse)) and None not in women
    assert any(value < 100 for value in women)
    men = [values["M"]["value"] for values in served.values()]
    assert any(value > 0 for value in men)
    lines = [x for x in bulk_lines(client) if x["gender"] == "K"]
    assert any(float(x["value"]) < 100 for x in lines)
