"""The expectation gap in a round's Excel workbook, registered in ``results.workbook_hooks``
by ``PulseConfig.ready()`` (results may not import pulse).

The sheet holds what the round's results page and PDF show of the gap (``pulse/_gap.html``),
worded by the same ``ExpectationGap`` properties and under the same condition
(``gap_for_results``): which pulse and which round, what is compared, the self-selected
sample, the test, the one-line readings, and the table with the shares in whole percent as the
page rounds them (never the unrounded share behind the test), each side's n, the difference
"residents − you" in points with its sign, and the verdict. A hidden side is "hidden", as on
the page, and carries no n.
"""

from django.utils.translation import gettext as _

from results.workbook_hooks import ExtraSheet

from .gap import ExpectationGap, Side, gap_for_results

# Whole points with their sign as the page prints them: +5, −5 (a real minus), ±0.
POINTS_FORMAT = '+0;"\u2212"0;"±"0'
SHARE_FORMAT = "0%"


def gap_sheets(results) -> list[ExtraSheet]:
    gap = gap_for_results(results)
    if gap is None or gap.round is None:
        return []
    return [gap_sheet(gap)]


def _share(side: Side):
    """The whole percent the page shows, as a share Excel formats "0%"."""
    return side.percent / 100 if side.shown else _("hidden")


def _n(side: Side):
    return side.respondents if side.shown else None


def gap_sheet(gap: ExpectationGap) -> ExtraSheet:
    lines = [
        [_("The expectation gap: the residents beside you")],
        [_("Resident pulse"), gap.pulse_period],
        [_("Self-assessment"), gap.round.name],
        [gap.about],
        [gap.sample_note],
        [gap.test_note],
        [],
        *([row.reading] for row in gap.rows),
    ]
    rows = [
        [
            str(row.goal.name),
            _share(row.residents),
            _n(row.residents),
            _share(row.leaders),
            _n(row.leaders),
            row.points if row.shown else "–",
            row.verdict.word if row.verdict else None,
        ]
        for row in gap.rows
    ]
    return ExtraSheet(
        title=_("Expectation gap"),
        lines=lines,
        caption=_("Share who agree: the residents and you, per goal"),
        header=[
            _("Goal"),
            _("Residents"),
            "n",
            _("You"),
            "n",
            _("Residents − you, points"),
            _("Difference vs uncertainty"),
        ],
        rows=rows,
        number_formats={2: SHARE_FORMAT, 4: SHARE_FORMAT, 6: POINTS_FORMAT},
    )
