from django import template

from programme.report_document import sek as format_sek

register = template.Library()


@register.filter
def sek(value):
    """Exact SEK with öre, Swedish style: 1 234 567,50 kr."""
    return "" if value is None else format_sek(value)
