"""Server-rendered SVG charts (pygal), colour-blind-safe (Okabe–Ito palette).

Charts are decoration for sighted readers: every chart is shown with a data table holding the
same figures, which is what screen readers use (the SVG itself is aria-hidden).
Suppressed figures are left out of charts, never drawn as zero.
"""

import re

import pygal
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1f",
    foreground_strong="#1b1b1f",
    foreground_subtle="#4a4a55",
    colors=OKABE_ITO,
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    title_font_size=15,
)


def _config(**extra):
    return dict(
        style=_STYLE,
        js=[],
        disable_xml_declaration=True,
        show_y_guides=False,
        truncate_label=-1,
        truncate_legend=-1,
        legend_at_bottom=True,
        print_values=False,
        width=800,
        **extra,
    )


def _render(chart) -> str:
    svg = chart.render(is_unicode=True)
    # pygal numbers its legend anchors the same in every chart; prefix them with the chart's
    # own unique id so that two charts on one page never share an id.
    chart_id = re.search(r'id="(chart-[0-9a-f-]+)"', svg).group(1)
    svg = svg.replace('id="activate-serie-', f'id="{chart_id}-activate-serie-')
    return mark_safe(svg)


def means_by_group(rows, series) -> str:
    """Horizontal bars: one bar per series (e.g. target group) per unit, on the 1–5 scale."""
    chart = pygal.HorizontalBar(
        **_config(range=(1, 5), height=max(260, 60 + 42 * len(rows) * max(1, len(series))))
    )
    chart.x_labels = [str(row.unit.name) for row in rows]
    for label, pick in series:
        values = []
        for row in rows:
            figure = pick(row)
            values.append(figure.mean if figure and figure.estimate else None)
        chart.add(str(label), values)
    return _render(chart)


def distribution(rows) -> str:
    """Stacked horizontal bars: share of answers 1–5 per unit (don't know excluded)."""
    chart = pygal.HorizontalStackedBar(
        **_config(range=(0, 100), height=max(260, 80 + 38 * len(rows)))
    )
    chart.x_labels = [str(row.unit.name) for row in rows]
    for step in range(5):
        values = [
            round(100 * row.total.distribution[step]) if row.total.distribution else None
            for row in rows
        ]
        chart.add(_("%(step)s of 5") % {"step": step + 1}, values)
    return _render(chart)
