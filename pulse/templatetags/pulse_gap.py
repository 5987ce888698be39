"""The expectation gap on a round's results page and in its PDF, as a template tag: both
templates belong to results, which sits below pulse and must not import it (as ``plans`` adds
its progress). The round's workbook gets the same gap through ``results.workbook_hooks``."""

from django import template

from pulse.gap import gap_for_results

register = template.Library()


@register.simple_tag
def round_gap(round_, results):
    """``pulse.gap.gap_for_results``: the gap for the page's round (published figures only), or
    None while the round's own figures are not shown."""
    return gap_for_results(results)
