"""The charts beside the results tables: the 1–5 scale with its intervals, the table's order,
one ordered palette for the scale steps, and labels that wrap instead of shrinking."""

import re
from types import SimpleNamespace

import pytest

from results import charts, narrow
from results.figures import Figure
from results.statistics import Estimate

pytestmark = pytest.mark.django_db  # gettext only, but the test settings want it allowed


def shown(mean, low, high, distribution=(0.1, 0.2, 0.3, 0.25, 0.15)):
    return Figure(
        suppressed=False,
        respondents=12,
        estimate=Estimate(mean, low, high, 12, 0.2),
        dont_know=0.05,
        distribution=list(distribution),
    )


def row(name, figure):
    return SimpleNamespace(unit=SimpleNamespace(name=name), total=figure)


ROWS = [
    row("Ledning, styrning och organisation", shown(3.5, 3.1, 3.9)),
    row("Arkitektur och säkerhet", shown(2.4, 2.0, 2.8)),
    row("Informationsförsörjning och digital infrastruktur", Figure(suppressed=True)),
]
TOTAL = [("Totalt", lambda r: r.total)]


def _first_y(svg, word):
    match = re.search(r'<text x="[-\d.]+" y="([-\d.]+)"[^>]*>(<tspan[^>]*>)?' + word, svg)
    assert match, f"no label starting with {word!r}"
    return float(match.group(1))


def test_means_are_drawn_on_the_one_to_five_scale_with_their_intervals():
    svg = charts.means_by_group(ROWS, TOTAL).wide
    axis = re.findall(r'<text x="([-\d.]+)" y="[-\d.]+" class="[^"]*">(\d,\d)</text>', svg)
    assert [label for _x, label in axis] == ["1,0", "2,0", "3,0", "4,0", "5,0"]
    one, step = float(axis[0][0]), float(axis[1][0]) - float(axis[0][0])
    # bars run from 1 (not 0) to the mean: 3.5 and 2.4 (drawn bottom-up)
    bars = re.findall(r'<rect x="([-\d.]+)" [^>]*width="([-\d.]+)"[^>]*tooltip-trigger', svg)
    assert [float(x) for x, _w in bars] == pytest.approx([one, one])
    assert sorted(float(w) / step for _x, w in bars) == pytest.approx([1.4, 2.5])
    # one whisker per shown mean; the suppressed unit has neither bar nor whisker
    assert svg.count('<g class="ci">') == 2
    assert svg.count('class="rect reactive tooltip-trigger"') == 2


@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_units_read_top_down_in_the_order_of_the_table(width):
    svg = getattr(charts.means_by_group(ROWS, TOTAL), width)
    ys = [_first_y(svg, word) for word in ("Ledning", "Arkitektur", "Informationsförsörjning")]
    assert ys == sorted(ys)
    svg = getattr(charts.distribution(ROWS[:2]), width)
    assert _first_y(svg, "Ledning") < _first_y(svg, "Arkitektur")


def test_on_a_phone_means_get_the_whole_width_under_their_names():
    svg = charts.means_by_group(ROWS, TOTAL).narrow
    axis = re.findall(r'<text x="([-\d.]+)"[^>]*class="axis-label">([^<]*)</text>', svg)
    assert [label for _x, label in axis] == ["1", "2", "3", "4", "5"]
    one, step = float(axis[0][0]), float(axis[1][0]) - float(axis[0][0])
    # the scale spans most of the 330 px drawing, not the 90 px left beside long names
    assert 4 * step > 0.8 * narrow.WIDTH
    bars = re.findall(r'<rect class="bar[^"]*" x="([-\d.]+)" y="[-\d.]+" width="([-\d.]+)"', svg)
    assert [float(x) for x, _w in bars] == pytest.approx([one, one], abs=0.1)
    assert [float(w) / step for _x, w in bars] == pytest.approx([2.5, 1.4], abs=0.01)
    assert svg.count('class="ci"') == 2  # the suppressed unit has neither bar nor whisker
    # the names stand above their bars, wrapped between words when one line is too long
    names = re.findall(r'<text x="[-\d.]+" y="([-\d.]+)"[^>]*class="unit">([^<]*)</text>', svg)
    assert [name for _y, name in names] == [
        "Ledning, styrning och organisation",
        "Arkitektur och säkerhet",
        "Informationsförsörjning och digital",
        "infrastruktur",
    ]
    first_bar_y = float(re.search(r'<rect class="bar[^"]*" x="[-\d.]+" y="([-\d.]+)"', svg)[1])
    assert float(names[0][0]) < first_bar_y


def test_the_key_lists_only_what_is_drawn():
    nobody = [("Politicians", lambda r: Figure(suppressed=True))]
    chart = charts.means_by_group(ROWS, TOTAL + nobody)
    assert [label for label, _colour in chart.key] == ["Totalt"]
    assert "Politicians" not in chart.wide
    assert chart.narrow.count('class="bar serie-') == 2
    # a step of the scale that nobody chose draws nothing and is not in the key
    no_fives = [row("A", shown(2.0, 1.5, 2.5, (0.5, 0.5, 0, 0, 0)))]
    assert [label for label, _c in charts.distribution(no_fives).key] == ["1 av 5", "2 av 5"]


def test_axis_labels_that_would_collide_are_left_out():
    def x_of(value):
        return value * 10

    kept = narrow.ticks_that_fit(range(0, 11), lambda v: f"{v},00", x_of)
    assert kept[0] == 0 and kept[-1] == 10
    width = narrow.text_width("10,00")
    for a, b in zip(kept, kept[1:], strict=False):
        assert x_of(b) - x_of(a) > width


def test_the_scale_steps_get_one_ordered_palette_light_to_dark():
    chart = charts.distribution(ROWS[:2])
    assert [colour for _label, colour in chart.key] == list(charts.SCALE_STEPS)
    lightness = [
        sum(int(colour[i : i + 2], 16) for i in (1, 3, 5)) for colour in charts.SCALE_STEPS
    ]
    assert lightness == sorted(lightness, reverse=True)
    for step, colour in enumerate(charts.SCALE_STEPS):
        assert re.search(rf"\.color-{step}[^{{]*\{{[^}}]*{colour}", chart.wide, re.I)


def test_text_stays_at_twelve_pixels_where_each_width_is_shown():
    # The stylesheet shows the wide chart from 50rem (a box of at least 768 px) and the
    # narrow one on phones of 320 px and more (a box of at least 288 px after the margins).
    assert charts.WIDE["font"] * 768 / charts.WIDE["width"] >= 12
    assert charts.NARROW["font"] * 288 / charts.NARROW["width"] >= 12
    svg = charts.means_by_group(ROWS, TOTAL).narrow
    assert set(re.findall(r'font-size="(\d+)"', svg)) == {str(charts.NARROW["font"])}
