"""The report's charts (pygal SVG, as the results pages draw them) and their PNG for the DOCX.

Each chart is drawn from the very rows of the table printed under it, so the two show the same
figures; the SVG is decoration for sighted readers (``aria-hidden`` on the page, an image with
alternative text in the DOCX). Colours are Okabe–Ito (colour-blind safe); text is at least
13 px at the width the chart is printed.
"""

import re
from types import SimpleNamespace

import pygal
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from results.charts import INK, OKABE_ITO, means_by_group

# The two renderings, as on the results pages: the wide one for a laptop, the PDF and the
# DOCX; the narrow one for a phone (shown in a box of about 330 px, so its text stays >= 12 px).
WIDE = {"width": 800, "font": 15}
NARROW = {"width": 340, "font": 14}


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
        show_legend=n_series > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=(min(n_series, 3) or 1) if size is WIDE else 1,
        print_values=True,
        width=size["width"],
    )
    options.update(extra)
    return options


def bars(labels, series, **options) -> tuple[SafeString, SafeString]:
    """One bar per label and series; ``series`` is [(name, [value or None per label])].
    ``percent``: the values are shares (0–1), drawn and labelled as whole per cent.
    Returns the wide and the narrow rendering."""
    return _bars(labels, series, WIDE, **options), _bars(labels, series, NARROW, **options)


def _bars(labels, series, size, *, low=0, high=None, percent=False, horizontal=True) -> SafeString:
    factor = 100 if percent else 1
    values = [v * factor for _name, row in series for v in row if v is not None]
    top = high if high is not None else max(values + [low + 1]) * 1.15
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    bands = len(labels) * (len(series) if horizontal else 1)
    height = max(260, 90 + (28 * bands + 24 * len(labels) if horizontal else 300))
    if size is NARROW:
        height = int(height * 1.1)
        high_steps = 5 if high == 100 else None
    else:
        high_steps = None
    chart = kind(**_config(len(series), size, range=(low, top), zero=low, height=height))
    if high_steps:
        chart.y_labels = [0, 25, 50, 75, 100]

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
