"""The respondent's side: an anonymous link, one goal area per page, autosave, submit.

The device keeps a key to its response (a signed cookie holding ``Response.secret``, and for a
response begun through a personal invitation that invitation's token) only while it is a
draft. Submitting removes the secret and the cookie, and shows the respondent's own
summary once, as the answer to the submitting POST; no address shows it again.
"""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lib.clientip import client_ip
from lib.ratelimit import seconds_to_wait

from .models import Response, RoundLink
from .questionnaire import (
    AnswerRejected,
    answered_values,
    autosave_answer,
    autosave_background,
    begin_response,
    build_pages,
    closed_on,
    ensure_open_links_accepted,
    ensure_round_open,
    no_draft,
    own_scores,
    rating_counts,
    resume_page,
    save_answers,
    save_background,
    submit,
    unanswered_items,
)

COOKIE_SALT = "digilyft.response"
# In a draft's cookie where a personal invitation's token would be: the draft was let in by
# the shared link and holds a place there (``questionnaire.begin_response``). Tokens never
# contain "~".
SHARED_PLACE = "~"


_COOKIE_PREFIX = "digilyft_r"


def _cookie_name(link: RoundLink) -> str:
    return f"{_COOKIE_PREFIX}{link.pk}"


def _get_link(token: str) -> RoundLink:
    link = (
        RoundLink.objects.select_related(
            "round", "round__organisation", "round__version", "target_group"
        )
        .filter(token=token)
        .first()
    )
    if link is None:
        raise Http404(_("This link is not valid. Check that you copied the whole link."))
    return link


def _has_cookie(request, link: RoundLink) -> bool:
    return _cookie_name(link) in request.COOKIES


def draft_key(request, link: RoundLink) -> tuple[str | None, str | None]:
    """(the draft's secret, the personal invitation token it was begun with, if any)."""
    value = request.get_signed_cookie(_cookie_name(link), default=None, salt=COOKIE_SALT)
    secret, _dot, invitation_token = (value or "").partition(".")
    return secret or None, invitation_token or None


def _draft_keys(request) -> dict[int, str]:
    """{link id: draft secret} for every valid response cookie the request carries (normally
    one: each is sent only under its own link's path), without a look-up of the link."""
    keys = {}
    for name in request.COOKIES:
        link_id = name.removeprefix(_COOKIE_PREFIX)
        if link_id == name or not link_id.isascii() or not link_id.isdecimal():
            continue
        value = request.get_signed_cookie(name, default=None, salt=COOKIE_SALT)
        secret = (value or "").partition(".")[0]
        if secret:
            keys[int(link_id)] = secret
    return keys


def _current_response(request, link: RoundLink) -> Response | None:
    """The draft this device holds the key to; a submitted response has no key any more."""
    secret, _token = draft_key(request, link)
    if not secret:
        return None
    response = Response.objects.filter(link=link, secret=secret, submitted_on__isnull=True).first()
    if response is not None:
        response.link = link  # fetched with its round: no second look-up
    return response


def current_response(request, link: RoundLink) -> Response | None:
    return _current_response(request, link)


def _cookie_path(link: RoundLink) -> str:
    return reverse("assessments:respond_start", args=[link.token])


def remember(http_response, link: RoundLink, response: Response, invitation_token=None):
    """Give the device the key to its new draft (and the invitation token it spends)."""
    value = response.secret + (f".{invitation_token}" if invitation_token else "")
    http_response.set_signed_cookie(
        _cookie_name(link),
        value,
        salt=COOKIE_SALT,
        max_age=timedelta(days=settings.DIGILYFT_RESUME_COOKIE_DAYS),
        path=_cookie_path(link),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return http_response


def _forget(http_response, link: RoundLink):
    """Delete the device's key to its response."""
    http_response.delete_cookie(_cookie_name(link), path=_cookie_path(link), samesite="Lax")
    return http_response


def _private(http_response):
    """Keep a page with someone's answers out of the browser's cache and history."""
    add_never_cache_headers(http_response)
    return http_response


def rejected(request, link, exc: AnswerRejected):
    """The page for a refusal. A closed round says when it closed and whom to ask; the
    heading speaks of a lost answer only when answers were sent; the way back to the
    start is offered only where the start page itself is not the page refusing."""
    if exc.reason == "closed":
        return render(
            request,
            "assessments/respond_closed.html",
            {
                "link": link,
                "round": link.round,
                "closed_on": closed_on(link.round),
                "contacts": coordinator_contacts(link.round.organisation),
                "was_saving": request.method == "POST",
            },
            status=exc.status,
        )
    start_url = reverse("assessments:respond_start", args=[link.token]) if link else None
    if exc.reason.startswith("shared_link"):
        start_url = None  # the start refuses the same way
    return render(
        request,
        "assessments/respond_rejected.html",
        {
            "link": link,
            "message": exc.message,
            "reason": exc.reason,
            "was_saving": request.method == "POST",
            "start_url": start_url if start_url and request.path != start_url else None,
        },
        status=exc.status,
    )


def coordinator_contacts(organisation) -> list[dict]:
    """The organisation's active coordinators with an email address: whom a respondent asks."""
    coordinators = organisation.coordinators.select_related("user").filter(user__is_active=True)
    return [
        {"name": c.user.get_full_name(), "email": c.user.email}
        for c in coordinators.order_by("user__last_name", "user__first_name", "user__email")
        if c.user.email
    ]


@require_safe
def start(request, token):
    """The link's first page. A draft on this device is offered, never shown, here."""
    link = _get_link(token)
    response = _current_response(request, link)
    try:
        ensure_round_open(link)
        if response is None:
            ensure_open_links_accepted(link)
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    pages = build_pages(link)
    http_response = render(
        request,
        "assessments/respond_start.html",
        {
            "link": link,
            "round": link.round,
            "has_draft": response is not None,
            "page_count": len(pages),
        },
    )
    if response is None and _has_cookie(request, link):
        _forget(http_response, link)  # a key to nothing (submitted, purged or forged)
    return http_response


@require_safe
def short(request, code):
    """The short address of a shared link (typed from a screen in a meeting): on to the link."""
    token = RoundLink.objects.filter(short_code=code.lower()).values_list("token", flat=True)
    found = token.first()
    if found is None:
        raise Http404(_("This link is not valid. Check that you typed the whole address."))
    return redirect("assessments:respond_start", token=found)


@require_POST
def begin(request, token):
    """Continue this device's draft where it left off, or create a new anonymous response."""
    link = _get_link(token)
    try:
        ensure_round_open(link)
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    response = _current_response(request, link)
    if response is not None:
        number = resume_page(response, build_pages(link))
        return redirect("assessments:respond_page", token=token, number=number)
    return _start_new(request, link)


@require_POST
def restart(request, token):
    """The "Not you?" button: a new response for the person now at the device.

    The draft found on the device is left as it is (retention purges it later); only the
    cookie pointing to it is replaced, so nothing of it is shown to the new person.
    """
    link = _get_link(token)
    try:
        ensure_round_open(link)
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    return _start_new(request, link)


def _start_new(request, link: RoundLink):
    """A new open-link response, if the round takes them and this client has not begun too
    many on this link within the hour (a tablet passed round a meeting stays well below)."""
    try:
        ensure_open_links_accepted(link)
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    wait = seconds_to_wait(
        "respond-begin",
        f"{link.pk}:{client_ip(request)}",
        settings.DIGILYFT_OPEN_STARTS_PER_HOUR,
        3600,
    )
    if wait:
        refused = rejected(request, link, _too_many_starts())
        refused["Retry-After"] = str(wait)
        return refused
    try:
        response = begin_response(link)  # checked again with the link locked
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    return remember(
        redirect("assessments:respond_page", token=link.token, number=1),
        link,
        response,
        invitation_token=SHARED_PLACE,
    )


def _too_many_starts() -> AnswerRejected:
    return AnswerRejected(
        _(
            "Many responses have been started from this network in the last hour, so no "
            "more can be started right now. Continue a started one, or try again later."
        ),
        status=429,
    )


def _require_response(request, link):
    response = _current_response(request, link)
    if response is None:
        raise no_draft()
    return response


def _page_answers_from_post(post, page) -> dict:
    return {
        item.pk: post.get(f"item-{item.pk}") for item in page.items if post.get(f"item-{item.pk}")
    }


@require_http_methods(["GET", "HEAD", "POST"])
def page(request, token, number):
    link = _get_link(token)
    try:
        response = _require_response(request, link)
        ensure_round_open(link)
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    pages = build_pages(link)
    if not 1 <= number <= len(pages):
        raise Http404(_("There is no such page in this assessment."))
    current = pages[number - 1]
    if request.method == "POST":
        try:
            if current.is_background:
                save_background(response, request.POST.get("gender", ""))
            else:
                save_answers(response, current, _page_answers_from_post(request.POST, current))
        except AnswerRejected as exc:
            return rejected(request, link, exc)
        return _after_page_post(request, token, number, len(pages))
    return _private(
        render(
            request,
            "assessments/respond_page.html",
            {
                "link": link,
                "round": link.round,
                "response": response,
                "page": current,
                "page_count": len(pages),
                "answers": answered_values(response),
                "genders": Response.Gender.choices,
            },
        )
    )


def _after_page_post(request, token, number, page_count):
    action = request.POST.get("action", "next")
    if action == "previous" and number > 1:
        return redirect("assessments:respond_page", token=token, number=number - 1)
    if action == "later":
        return redirect("assessments:respond_saved", token=token)
    if action == "submit" and number == page_count:
        return redirect("assessments:respond_review", token=token)
    return redirect("assessments:respond_page", token=token, number=min(number + 1, page_count))


@require_safe
def saved(request, token):
    link = _get_link(token)
    return render(request, "assessments/respond_saved.html", {"link": link, "round": link.round})


@require_http_methods(["GET", "HEAD", "POST"])
def review(request, token):
    """Last step: GET shows how many statements are answered and rated; POST submits."""
    link = _get_link(token)
    if request.method == "POST":
        return _submit(request, link)
    try:
        response = _require_response(request, link)
        ensure_round_open(link)
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    return _private(
        render(request, "assessments/respond_review.html", _review_context(link, response))
    )


def _review_context(link: RoundLink, response: Response) -> dict:
    pages = build_pages(link)
    total = sum(len(p.items) for p in pages)
    answered, rated = rating_counts(response)
    missing = unanswered_items(response, pages)
    return {
        "link": link,
        "round": link.round,
        "total": total,
        "answered": answered,
        "rated": rated,
        "unanswered": len(missing),
        "missing": missing,
        "back_page": missing[0].page if missing else len(pages),
        "page_count": len(pages),
    }


def _submit(request, link: RoundLink):
    """Submit this device's draft and show its own summary, once, as the answer to this POST.

    Without a draft to submit (a double click, a replayed POST, the loser of two simultaneous
    submits) the answer is the generic thank-you page: nothing is stored twice, and nothing
    tells whether this device has submitted anything. Either way the cookie is deleted.
    """
    response = _current_response(request, link)
    if response is None:
        return _thanks(request, link)
    _secret, invitation_token = draft_key(request, link)
    holds_place = invitation_token == SHARED_PLACE
    try:
        submitted = submit(
            response,
            invitation_token=None if holds_place else invitation_token,
            holds_place=holds_place,
        )
    except AnswerRejected as exc:
        return rejected(request, link, exc)
    if not submitted:
        return _thanks(request, link)
    scores = own_scores(response)
    context = {
        "link": link,
        "round": link.round,
        "scores": scores,
    }
    return _private(_forget(render(request, "assessments/respond_summary.html", context), link))


def _thanks(request, link):
    return _private(
        _forget(
            render(request, "assessments/respond_thanks.html", {"link": link, "round": link.round}),
            link,
        )
    )


@require_safe
def thanks(request, token):
    """The old summary address: it shows only the generic thank-you page, never scores."""
    return _thanks(request, _get_link(token))


@require_POST
def autosave(request, token):
    """Save one answer as it is given (progressive enhancement for the page form).

    The busiest request of a kick-off: one SQL statement when the answer is stored
    (``questionnaire.autosave_answer``)."""
    keys = _draft_keys(request)
    try:
        if "gender" in request.POST:
            autosave_background(token, keys, request.POST["gender"])
        else:
            autosave_answer(token, keys, request.POST.get("item"), request.POST.get("value"))
    except AnswerRejected as exc:
        return JsonResponse({"saved": False, "error": exc.message}, status=exc.status)
    return JsonResponse({"saved": True})
