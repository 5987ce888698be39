from django import template

from lib.hyphenation import soft_hyphens

register = template.Library()


@register.filter(is_safe=True)
def hyphenate(text):
    """Long words get soft hyphens (``lib.hyphenation``): a narrow table column breaks them
    with a hyphen where the language allows. For headers and labels, not for text to copy."""
    return soft_hyphens(text)
