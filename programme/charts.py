"""The report's charts (pygal SVG, as the results pages draw them) and their PNG for the DOCX.

Each chart is drawn from the very rows of the table printed under it, so the two show the same
figures; the SVG is decoration for sighted readers (``aria-hidden`` on the page, an image with
alternative text in the DOCX). Colours are Okabe–Ito (colour-blind safe); text is at least
13 px at the width the chart is printed.
"""

import math
import re
from types import SimpleNamespace

import pygal
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from results import narrow
from results.charts import INK, OKABE_ITO, means_by_group

# The wide rendering, for a laptop, the PDF and the DOCX; the phone's is drawn by
# ``results.narrow``, as on the results pages (its text stays >= 12 px on a 320 px phone).
WIDE = {"width": 800, "font": 15}


_PYGAL_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def _style(colors, font):
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle="#4a4a55",
        colors=colors,
        # the value printed on a bar: white on the blue bar, ink on the orange and green ones
        value_colors=tuple("#ffffff" if c == OKABE_ITO[0] else INK for c in colors),
        opacity="1",
        opacity_hover="1",
        font_family="DejaVu Sans, Arial, sans-serif",
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font,
        value_font_size=font,
        title_font_size=font + 2,
    )


def _config(n_series, size, **extra):
    options = dict(
        style=_style(OKABE_ITO[:n_series] or OKABE_ITO, size["font"]),
        js=[],
        disable_xml_declaration=True,
        show_y_guides=True,
        show_x_guides=False,
        truncate_label=-1,
        truncate_legend=-1,
        show_legend=False,  # the key is HTML under the chart (and text in the DOCX)
        print_values=True,
        width=size["width"],
    )
    options.update(extra)
    return options


def bars(labels, series, **options) -> tuple[SafeString, SafeString, tuple]:
    """One bar per label and series; ``series`` is [(name, [value or None per label])].
    ``percent``: the values are shares (0–1), drawn and labelled as whole per cent.
    Returns the wide and the narrow rendering and the key ((name, colour) per series drawn,
    when there is more than one): a series with no value above zero draws no bar and is not
    listed (the table under the chart holds its figures)."""
    drawn = [(name, row) for name, row in series if any(v for v in row if v is not None)]
    key = tuple((str(name), OKABE_ITO[i]) for i, (name, _row) in enumerate(drawn))
    series = drawn or list(series[:1])  # nothing to draw: an empty chart, no key
    return (
        _bars(labels, series, WIDE, **options),
        _narrow_bars(labels, series, **options),
        key if len(key) > 1 else (),
    )


def _nice_step(top: float, low: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about four intervals."""
    rough = (top - low) / 4 or 1
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


def _narrow_bars(labels, series, *, low=0, high=None, percent=False, horizontal=True):
    """The phone's rendering: always horizontal, each label above its bars (``results.narrow``)."""
    factor = 100 if percent else 1
    values = [v * factor for _name, row in series for v in row if v is not None]
    step = 25 if high == 100 else _nice_step(max(values + [low + 1]) * 1.15, low)
    top = high if high is not None else math.ceil(max(values + [low + 1]) * 1.15 / step) * step
    ticks = [low + i * step for i in range(int(round((top - low) / step)) + 1)]

    def text(value):
        return f"{floatformat(value, 0)} %" if percent else floatformat(value, 1)

    return narrow.bars(
        [str(label) for label in labels],
        [
            (str(name), OKABE_ITO[i], [None if v is None else v * factor for v in row])
            for i, (name, row) in enumerate(series)
        ],
        low=low,
        high=top,
        ticks=ticks,
        tick_label=lambda v: f"{floatformat(v, 0)} %" if percent else floatformat(v, -1),
        value_label=text,
        value_colors={0: "#ffffff"},  # a value inside the blue bar is white, as in the wide one
    )


def _bars(labels, series, size, *, low=0, high=None, percent=False, horizontal=True) -> SafeString:
    factor = 100 if percent else 1
    values = [v * factor for _name, row in series for v in row if v is not None]
    top = high if high is not None else max(values + [low + 1]) * 1.15
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    bands = len(labels) * (len(series) if horizontal else 1)
    height = max(260, 90 + (28 * bands + 24 * len(labels) if horizontal else 300))
    chart = kind(**_config(len(series), size, range=(low, top), zero=low, height=height))

    def text(value):
        return f"{floatformat(value, 0)} %" if percent else floatformat(value, 1)

    chart.value_formatter = text
    # pygal draws the first label at the bottom of a horizontal chart: reverse so the chart
    # reads top to bottom as the table does.
    order = list(reversed(range(len(labels)))) if horizontal else list(range(len(labels)))
    chart.x_labels = [str(labels[i]) for i in order]
    for name, row in series:
        chart.add(str(name), [None if row[i] is None else row[i] * factor for i in order])
    svg = chart.render(is_unicode=True)
    # pygal writes its tooltip configuration as an inline script even without its scripts
    # (js=[]); nothing reads it, and the Content-Security-Policy would refuse it.
    svg = _PYGAL_SCRIPT.sub("", svg)
    # pygal numbers its legend anchors the same in every chart: make them the chart's own.
    chart_id = re.search(r'id="(chart-[0-9a-f-]+)"', svg).group(1)
    return mark_safe(svg.replace('id="activate-serie-', f'id="{chart_id}-activate-serie-'))


def means(rows, series) -> tuple[SafeString, SafeString, tuple]:
    """Means on the 1–5 scale per goal area (``rows`` are ``report.AreaChange``), one bar per
    series (name, pick); drawn by the results pages' own chart, labels wrapped. Returns the
    wide and the narrow SVG and the key ((label, colour) per series), which the drawing lacks."""

    def figure(value):
        return SimpleNamespace(estimate=value is not None, mean=value, low=None, high=None)

    units = [SimpleNamespace(unit=row.area, row=row) for row in rows]
    picks = [(name, lambda unit, pick=pick: figure(pick(unit.row))) for name, pick in series]
    chart = means_by_group(units, picks)
    return chart.wide, chart.narrow, chart.key


def png(svg: str, width_px: int = 1600) -> bytes:
    """The chart as a PNG for the DOCX (Word cannot be relied on to show SVG)."""
    import cairosvg  # imported here: it loads Cairo, which only the DOCX needs

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width_px)
