"""Bar charts drawn for a phone: each unit's name on its own lines *above* its bars, so the bars
get the whole width of the screen and nothing runs together.

pygal (the wide charts) puts the names beside the bars; in a 330 px drawing that leaves a plot
area of about 90 px, where the axis labels collide. This module draws the narrow rendering
itself, in plain SVG with presentation attributes only (no ``<style>``, no script), so:

- the plot spans the drawing's width less small margins; axis labels are spaced by the width
  of their longest text plus a gap, and a tick's label is left out rather than overlap;
- every text is ``FONT`` px in a drawing ``WIDTH`` wide, which a 320 px phone shows at 12 px
  or more (the stylesheet gives it a box of at least 288 px);
- a missing value (``None``: suppressed or not published) draws nothing, never a zero bar;
- a series draws in its colour; the key under the chart lists only the series that drew.
"""

import textwrap

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 330
FONT = 14
FAMILY = "DejaVu Sans, Arial, sans-serif"
INK = "#1b1b1f"
GUIDE = "#6b6b76"
MARGIN = 26  # left and right of the plot: room for half an axis label ("100 %") at each end
CHAR = 0.64  # a character's width in DejaVu Sans, in ems (generous, so wrapping errs short)
LINE = 1.3  # line height, in ems
BAR = 16  # one bar's thickness
BAR_GAP = 4
UNIT_GAP = 14
TOP_SCALE_FROM = 4  # more units than this: the scale's labels also above the chart


def text_width(text: str, font: int = FONT) -> float:
    """A generous estimate of a text's width in px (SVG text is not measured on the server)."""
    return len(text) * CHAR * font


def _wrap(label: str, width: float) -> list[str]:
    chars = max(8, int(width / (CHAR * FONT)))
    return textwrap.wrap(str(label), chars, break_long_words=False) or [""]


def ticks_that_fit(ticks, label, x_of) -> list:
    """The ticks whose labels fit side by side: a tick is left out when its label would come
    closer than one character to the previous label kept (the first and last are kept)."""
    kept = []
    for index, tick in enumerate(ticks):
        half = text_width(label(tick)) / 2
        if kept:
            previous = kept[-1]
            room = x_of(tick) - half - (x_of(previous) + text_width(label(previous)) / 2)
            if room < CHAR * FONT:
                if index == len(ticks) - 1:
                    kept[-1] = tick  # keep the end of the scale rather than the one before
                continue
        kept.append(tick)
    return kept


def _text(x, y, content, anchor="start", fill=INK, weight=None, css_class=None) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    extra += f' class="{css_class}"' if css_class else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{FONT}" font-family="{FAMILY}" '
        f'fill="{fill}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'
    )


def bars(
    labels,
    series,
    *,
    low: float,
    high: float,
    ticks,
    tick_label,
    value_label=None,
    stacked: bool = False,
    value_colors=None,
) -> SafeString:
    """Horizontal bars from ``low`` per label (top to bottom in the order given) and series.

    ``series`` is [(name, colour, [value per label])], a value being None (nothing drawn), a
    number, or {"value": v, "ci": {"low": a, "high": b}} for a whisker. ``stacked`` puts the
    series of a label end to end in one bar (shares). ``value_label`` (value → text), when
    given, prints each value at the end of its bar; ``value_colors`` the text colour per
    series when it is printed inside the bar."""
    plot_left, plot_right = MARGIN, WIDTH - MARGIN
    span = plot_right - plot_left

    def x_of(value):
        return plot_left + span * (min(max(value, low), high) - low) / (high - low)

    # a long chart repeats its scale above the first name, so that it is in view at the top
    scale_on_top = len(labels) > TOP_SCALE_FROM
    shapes, y = [], 6.0 + (FONT * LINE + 6 if scale_on_top else 0)
    bands = []
    for index, label in enumerate(labels):
        lines = _wrap(label, WIDTH - 8)
        for line in lines:
            y += FONT * LINE
            shapes.append(_text(4, y - FONT * 0.3, line, weight="600", css_class="unit"))
        y += 4
        top = y
        rows = 1 if stacked else len(series)
        start = low
        for number, (_name, colour, values) in enumerate(series):
            value = values[index]
            if value is None:
                if not stacked:
                    y += BAR + BAR_GAP
                continue
            ci = value.get("ci") if isinstance(value, dict) else None
            amount = value["value"] if isinstance(value, dict) else value
            begin, end = (start, start + amount) if stacked else (low, amount)
            bar_y = top if stacked else y
            x0, x1 = x_of(begin), x_of(end)
            shapes.append(
                f'<rect class="bar serie-{number}" x="{x0:.1f}" y="{bar_y:.1f}" '
                f'width="{max(x1 - x0, 0):.1f}" height="{BAR}" fill="{colour}"/>'
            )
            if ci:
                a, b, mid = x_of(ci["low"]), x_of(ci["high"]), bar_y + BAR / 2
                shapes.append(
                    f'<path class="ci" d="M{a:.1f} {mid:.1f}H{b:.1f}M{a:.1f} {mid - 5:.1f}'
                    f'V{mid + 5:.1f}M{b:.1f} {mid - 5:.1f}V{mid + 5:.1f}" stroke="{INK}" '
                    'stroke-width="1.5" fill="none"/>'
                )
            if value_label is not None:
                said = value_label(amount)
                room = plot_right - x1
                inside = room < text_width(said) + 4
                fill = (value_colors or {}).get(number, INK) if inside else INK
                shapes.append(
                    _text(
                        x1 - 4 if inside else x1 + 4,
                        bar_y + BAR - 3,
                        said,
                        anchor="end" if inside else "start",
                        fill=fill,
                        css_class="value",
                    )
                )
            if stacked:
                start = end
            else:
                y += BAR + BAR_GAP
        if stacked:
            y = top + BAR + BAR_GAP
        elif rows == 0:
            y += BAR
        bands.append((top, y))
        y += UNIT_GAP
    plot_bottom = y
    kept = ticks_that_fit(list(ticks), tick_label, x_of)
    # the guides run through the bars only, never through the names above them
    guides = "".join(
        f'<path class="guide" d="M{x_of(t):.1f} {top - 2:.1f}V{bottom + 2:.1f}" '
        f'stroke="{GUIDE}" stroke-width="1" stroke-dasharray="3,3" fill="none"/>'
        for t in kept
        for top, bottom in bands
    )
    axis_y = plot_bottom + FONT * LINE
    rows_of_labels = [axis_y, 6.0 + FONT] if scale_on_top else [axis_y]
    axis = "".join(
        _text(x_of(t), at, tick_label(t), anchor="middle", css_class="axis-label")
        for at in rows_of_labels
        for t in kept
    )
    height = axis_y + 8
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="narrow-chart" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" width="{WIDTH}" height="{height:.0f}" focusable="false">'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{guides}{"".join(shapes)}'
        f'<g class="axis">{axis}</g></svg>'
    )
