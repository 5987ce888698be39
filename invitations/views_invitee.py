"""The invitee's side of a personal link: a start page, "begin", and stopping reminders.

After "begin" the invitee answers on the target group's ordinary questionnaire pages
(``assessments.views_respond``); the device's signed cookie then holds the draft's secret and
this invitation's token, which the submit spends.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.questionnaire import (
    AnswerRejected,
    already_submitted_message,
    build_pages,
    ensure_round_open,
    resume_page,
)
from assessments.views_respond import current_response, draft_key, rejected, remember
from lib.ratelimit import limit_per_address

from . import personal
from .models import Invitation


def _get_invitation(link_token: str, token: str) -> Invitation:
    invitation = personal.find(token)
    if invitation is None or invitation.link.token != link_token:
        raise Http404(_("This link is not valid. Check that you copied the whole link."))
    return invitation


def _used(request, invitation):
    exc = AnswerRejected(already_submitted_message(), status=410)
    return rejected(request, invitation.link, exc)


def _own_draft(request, invitation, token):
    """This device's draft begun with this very invitation, if any."""
    _secret, draft_token = draft_key(request, invitation.link)
    if draft_token != token:
        return None
    return current_response(request, invitation.link)


@require_safe
def start(request, link_token, token):
    invitation = _get_invitation(link_token, token)
    if invitation.status == Invitation.Status.SUBMITTED:
        return _used(request, invitation)
    link = invitation.link
    try:
        ensure_round_open(link)
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    return render(
        request,
        "invitations/start.html",
        {
            "link": link,
            "round": link.round,
            "token": token,
            "has_draft": _own_draft(request, invitation, token) is not None,
            "page_count": len(build_pages(link)),
        },
    )


@require_POST
@limit_per_address("personal-begin", "DIGILYFT_PERSONAL_BEGINS_PER_HOUR")
def begin(request, link_token, token):
    """Continue this device's draft of the invitation, or begin a new one until submitted."""
    invitation = _get_invitation(link_token, token)
    link = invitation.link
    if invitation.status == Invitation.Status.SUBMITTED:
        return _used(request, invitation)
    try:
        ensure_round_open(link)
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    draft = _own_draft(request, invitation, token)
    if draft is not None:
        number = resume_page(draft, build_pages(link))
        return redirect("assessments:respond_page", token=link.token, number=number)
    response = personal.begin(invitation)
    if response is None:
        return _used(request, invitation)
    return remember(
        redirect("assessments:respond_page", token=link.token, number=1),
        link,
        response,
        invitation_token=token,
    )


# Mail clients send RFC 8058 one-click unsubscribes as a POST without a CSRF token; stopping
# reminders is the whole effect, so it is safe to accept.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@limit_per_address("opt-out", "DIGILYFT_OPT_OUTS_PER_HOUR")
def stop_reminders(request, link_token, token):
    invitation = _get_invitation(link_token, token)
    stopped = request.method == "POST"
    if stopped:
        personal.stop_reminders(invitation)
    return render(
        request,
        "invitations/stop_reminders.html",
        {
            "round": invitation.link.round,
            "token": token,
            "stopped": stopped or invitation.opted_out,
        },
    )
