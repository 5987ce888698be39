"""``{% with_nonce svg %}``: lets the ``<style>`` elements inside markup made in Python (pygal's
charts) pass the Content-Security-Policy, which allows only nonced ones. Without a request
(a PDF rendered from the same templates) the markup is returned as it is."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_STYLE = re.compile(r"<style(?=[\s>])")


@register.simple_tag(takes_context=True)
def with_nonce(context, markup):
    request = context.get("request")
    # Not ``bool(request.csp_nonce)``: django-csp's lazy nonce is false until first read.
    lazy = getattr(request, "csp_nonce", None) if request is not None else None
    nonce = str(lazy) if lazy is not None else ""
    if not nonce or not isinstance(markup, SafeString):
        return markup
    return mark_safe(_STYLE.sub(f'<style nonce="{nonce}"', markup))
