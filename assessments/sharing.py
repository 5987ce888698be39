"""Sharing a round's open links: the full address, a short one to type from a screen, a ready
invitation text and a QR code. Reads only the round and its links; nothing here writes."""

from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lib.urls import absolute_url

from .models import RoundLink

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class InvitationText:
    language: str
    label: str
    text: str


@dataclass(frozen=True)
class SharedLink:
    link: RoundLink
    url: str
    short_url: str
    texts: list[InvitationText]  # the page's language first


def link_url(link: RoundLink, request=None) -> str:
    return absolute_url(reverse("assessments:respond_start", args=[link.token]), request)


def short_url(link: RoundLink, request=None) -> str:
    return absolute_url(reverse("assessments:respond_short", args=[link.short_code]), request)


def invitation_text(link: RoundLink, url: str, privacy_url: str, language: str) -> str:
    """The invitation to paste into a mail or an intranet post: the organisation, the target
    group, how long it takes, the closing date, what is stored (the privacy page) and the link."""
    round_ = link.round
    with translation.override(language):
        return render_to_string(
            "assessments/open_link_invitation.txt",
            {
                "organisation": round_.organisation.name,
                "group": link.target_group.name,
                "closes_on": round_.closes_on,
                "url": url,
                "privacy_url": privacy_url,
            },
        ).strip()


def _language_label(language: str) -> str:
    return {"sv": _("In Swedish"), "en": _("In English")}[language]


def shared_links(links, request=None) -> list[SharedLink]:
    """Every link of a round with its addresses and invitation texts (both languages)."""
    privacy_url = absolute_url(reverse("core:privacy"), request)
    current = translation.get_language() or "sv"
    languages = sorted(LANGUAGES, key=lambda code: code != current[:2])
    result = []
    for link in links:
        url = link_url(link, request)
        texts = [
            InvitationText(
                code, _language_label(code), invitation_text(link, url, privacy_url, code)
            )
            for code in languages
        ]
        result.append(SharedLink(link, url, short_url(link, request), texts))
    return result


def qr_svg(url: str, alt: str, css_class: str = "qr") -> SafeString:
    """``url`` as a QR code in inline SVG (error correction M, black on white, sized by CSS),
    an image named by ``alt`` for screen readers."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass=css_class
    )
    return mark_safe(  # noqa: S308 — segno's own markup, with our escaped label
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" focusable="false" ', 1)
    )
