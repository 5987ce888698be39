"""Server-rendered SVG charts (pygal), colour-blind-safe.

Charts are decoration for sighted readers: every chart is shown with a data table holding the
same figures, which is what screen readers use (the SVG itself is aria-hidden).
Suppressed figures are left out of charts, never drawn as zero.

What every chart guarantees:

- means are drawn on the 1–5 scale itself (bars start at 1, not 0) with their 95 % interval;
- units are listed top to bottom in the order of the table beside the chart;
- the five steps of the scale get one ordered, single-hue palette (light = 1, dark = 5), which
  reads the same to every kind of colour vision; target groups get Okabe–Ito colours;
- each chart comes in two widths (``Chart.wide`` for a laptop, ``Chart.narrow`` for a phone),
  both drawn so that, at the width the stylesheet shows them, no text is below 12 px.
  Long labels are wrapped onto several lines instead of shrinking the whole chart; on a phone
  they stand above their bars, which get the whole width (``results.narrow``);
- the key lists only what is drawn.
"""

import re
import textwrap
from dataclasses import dataclass

import pygal
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from . import narrow

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
# ColorBrewer "Blues", five classes from its lighter middle to its darkest: an ordered,
# colour-blind-safe sequential palette for the steps 1 (lightest) to 5 (darkest).
SCALE_STEPS = ("#c6dbef", "#9ecae1", "#6baed6", "#2171b5", "#08306b")
INK = "#1b1b1f"

# The two renderings. ``width`` is the SVG's own width (its viewBox); the stylesheet shows the
# wide one only from 50rem, where its box is at least 768 px wide, so its smallest text, at
# ``font`` px, is never scaled below 12 px; the narrow one is shown on phones, in a box of
# 288 px (a 320 px phone) or more.
WIDE = {"width": 800, "font": 13, "wrap": 38}
NARROW = {"width": 330, "font": 14, "wrap": 18}


@dataclass(frozen=True)
class Chart:
    wide: SafeString
    narrow: SafeString
    key: tuple = ()  # (label, colour) per series, shown as HTML under the chart so it wraps


def _style(colors, font):
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle="#4a4a55",
        colors=colors,
        ci_colors=(INK,) * len(colors),
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        font_family="DejaVu Sans, Arial, sans-serif",
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font,
        value_font_size=font,
        tooltip_font_size=font,
        title_font_size=font + 2,
    )


def _config(size, colors, **extra):
    options = dict(
        style=_style(colors, size["font"]),
        js=[],
        disable_xml_declaration=True,
        show_y_guides=True,
        show_x_guides=False,
        truncate_label=-1,
        show_legend=False,
        print_values=False,
        width=size["width"],
    )
    options.update(extra)
    return options


def _wrap(label, width) -> list[str]:
    """A label's lines: broken between words only, never inside one."""
    return textwrap.wrap(str(label), width, break_long_words=False) or [""]


def _token(index: int, length: int) -> str:
    return f"§{index}§".ljust(length, "_")


def _label_tokens(labels, wrap):
    """Stand-ins for the labels, as long as each label's longest wrapped line, so that pygal
    makes room for the wrapped label, not the whole one."""
    lines = [_wrap(label, wrap) for label in labels]
    longest = max((len(line) for wrapped in lines for line in wrapped), default=1)
    return [_token(i, max(longest, len(_token(i, 0)))) for i in range(len(labels))], lines


def _put_labels_back(svg: str, labels, tokens, lines, font) -> str:
    for label, token, wrapped in zip(labels, tokens, lines, strict=True):
        pattern = re.compile(r'(<text x="([-\d.]+)"[^>]*>)' + re.escape(token) + "</text>")

        def multiline(match, wrapped=wrapped):
            x = match.group(2)
            first = -(len(wrapped) - 1) * 0.6
            spans = "".join(
                f'<tspan x="{x}" dy="{first if i == 0 else 1.2:.2f}em">{escape(line)}</tspan>'
                for i, line in enumerate(wrapped)
            )
            return match.group(1) + spans + "</text>"

        svg = pattern.sub(multiline, svg)
        svg = svg.replace(token, str(escape(label)))
    return svg


_PYGAL_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def _render(chart, labels=(), tokens=(), lines=(), font=13) -> SafeString:
    svg = chart.render(is_unicode=True)
    # pygal writes its tooltip configuration as an inline script even without its scripts
    # (js=[]); nothing reads it, and the Content-Security-Policy would refuse it.
    svg = _PYGAL_SCRIPT.sub("", svg)
    svg = _put_labels_back(svg, labels, tokens, lines, font)
    # pygal numbers its legend anchors the same in every chart; prefix them with the chart's
    # own unique id so that two charts on one page never share an id.
    chart_id = re.search(r'id="(chart-[0-9a-f-]+)"', svg).group(1)
    svg = svg.replace('id="activate-serie-', f'id="{chart_id}-activate-serie-')
    return mark_safe(svg)


def _band_height(labels, size, bars):
    """Height of one unit's band: room for its wrapped label and for its bars."""
    lines = max((len(_wrap(label, size["wrap"])) for label in labels), default=1)
    return max(lines * 1.25 * size["font"] + 10, bars * (size["font"] + 10))


def _mean_value(figure):
    if not (figure and figure.estimate):
        return None
    value = {"value": figure.mean, "formatter": lambda v: floatformat(v, 1)}
    if figure.low is not None and figure.high is not None:
        value["ci"] = {"low": max(1.0, figure.low), "high": min(5.0, figure.high)}
    return value


def _means(rows, series, size) -> SafeString:
    # pygal draws the first label at the bottom; reverse so the chart reads as the table.
    rows = list(reversed(rows))
    labels = [row.unit.name for row in rows]
    band = _band_height(labels, size, len(series))
    chart = pygal.HorizontalBar(
        **_config(
            size,
            OKABE_ITO,
            range=(1, 5),
            zero=1,
            xrange=(1, 5),
            height=int(60 + band * len(rows)),
        )
    )
    tokens, lines = _label_tokens(labels, size["wrap"])
    chart.x_labels = tokens
    chart.y_labels = [1, 2, 3, 4, 5]
    chart.value_formatter = lambda v: floatformat(v, 1)
    # pygal draws a band's first series at its top, as the key lists them.
    for label, pick in series:
        chart.add(str(label), [_mean_value(pick(row)) for row in rows])
    return _render(chart, labels, tokens, lines, size["font"])


def _drawn(series, rows):
    """The series that draw at least one bar: a group suppressed in every unit is left out of
    the chart and its key (the table still says why it has no figures)."""
    return [(label, pick) for label, pick in series if any(_mean_value(pick(r)) for r in rows)]


def _narrow_means(rows, series) -> SafeString:
    return narrow.bars(
        [row.unit.name for row in rows],
        [
            (str(label), OKABE_ITO[i % len(OKABE_ITO)], [_mean_value(pick(r)) for r in rows])
            for i, (label, pick) in enumerate(series)
        ],
        low=1,
        high=5,
        ticks=[1, 2, 3, 4, 5],
        tick_label=str,
    )


def means_by_group(rows, series) -> Chart:
    """Horizontal bars from 1 to the mean, one per series (e.g. target group) per unit, with
    the mean's 95 % interval as a whisker; units in the order given (the table's). Series
    with no mean shown in any unit are neither drawn nor in the key."""
    drawn = _drawn(series, rows)
    key = tuple(
        (str(label), OKABE_ITO[i % len(OKABE_ITO)]) for i, (label, _pick) in enumerate(drawn)
    )
    # nothing at all to draw (a filter with no figures): an empty chart and no key
    drawn = drawn or list(series[:1])
    return Chart(_means(rows, drawn, WIDE), _narrow_means(rows, drawn), key)


def _distribution(rows, size) -> SafeString:
    rows = list(reversed(rows))
    labels = [row.unit.name for row in rows]
    chart = pygal.HorizontalStackedBar(
        **_config(
            size,
            SCALE_STEPS,
            range=(0, 100),
            height=int(60 + _band_height(labels, size, 1) * len(rows)),
        )
    )
    tokens, lines = _label_tokens(labels, size["wrap"])
    chart.x_labels = tokens
    chart.y_labels = [0, 25, 50, 75, 100]
    chart.value_formatter = lambda v: f"{floatformat(v, 0)} %"
    for step in range(5):
        chart.add(
            _step_label(step + 1),
            _shares(rows, step),
        )
    return _render(chart, labels, tokens, lines, size["font"])


def _shares(rows, step):
    return [
        round(100 * row.total.distribution[step]) if row.total.distribution else None
        for row in rows
    ]


def _narrow_distribution(rows) -> SafeString:
    return narrow.bars(
        [row.unit.name for row in rows],
        [(_step_label(s + 1), SCALE_STEPS[s], _shares(rows, s)) for s in range(5)],
        low=0,
        high=100,
        ticks=[0, 25, 50, 75, 100],
        tick_label=lambda v: f"{v} %",
        stacked=True,
    )


def distribution(rows) -> Chart:
    """Stacked horizontal bars: share of answers 1–5 per unit (don't know excluded), the steps
    from light (1) to dark (5); units in the order given (the table's). The key lists the
    steps that some unit has answers in (a step nobody chose draws nothing)."""
    key = tuple(
        (_step_label(step), SCALE_STEPS[step - 1])
        for step in range(1, 6)
        if any(_shares(rows, step - 1))
    )
    return Chart(_distribution(rows, WIDE), _narrow_distribution(rows), key)


def _step_label(step: int) -> str:
    return _("%(step)s of 5") % {"step": step}
