"""The respondent's side: an anonymous link, one goal area per page, autosave, submit."""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .models import Response, RoundLink
from .questionnaire import (
    AnswerRejected,
    answered_values,
    build_pages,
    ensure_round_open,
    own_scores,
    save_answers,
    save_background,
    submit,
)

COOKIE_SALT = "digilyft.response"


def _cookie_name(link: RoundLink) -> str:
    return f"digilyft_r{link.pk}"


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


def _current_response(request, link: RoundLink) -> Response | None:
    secret = request.get_signed_cookie(_cookie_name(link), default=None, salt=COOKIE_SALT)
    if not secret:
        return None
    return Response.objects.filter(link=link, secret=secret).first()


def _remember(http_response, link: RoundLink, response: Response):
    http_response.set_signed_cookie(
        _cookie_name(link),
        response.secret,
        salt=COOKIE_SALT,
        max_age=timedelta(days=settings.DIGILYFT_RESUME_COOKIE_DAYS),
        path=reverse("assessments:respond_start", args=[link.token]),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return http_response


def _rejected(request, link, exc: AnswerRejected):
    return render(
        request,
        "assessments/respond_rejected.html",
        {"link": link, "message": exc.message},
        status=exc.status,
    )


@require_GET
def start(request, token):
    link = _get_link(token)
    response = _current_response(request, link)
    if response and response.is_submitted:
        return redirect("assessments:respond_summary", token=token)
    try:
        ensure_round_open(link)
    except AnswerRejected as exc:
        return _rejected(request, link, exc)
    pages = build_pages(link)
    return render(
        request,
        "assessments/respond_start.html",
        {"link": link, "round": link.round, "response": response, "page_count": len(pages)},
    )


@require_POST
def begin(request, token):
    """Create the anonymous response (or reuse the one this browser already has)."""
    link = _get_link(token)
    try:
        ensure_round_open(link)
    except AnswerRejected as exc:
        return _rejected(request, link, exc)
    response = _current_response(request, link)
    if response is None:
        response = Response.objects.create(link=link, round=link.round)
    if response.is_submitted:
        return redirect("assessments:respond_summary", token=token)
    return _remember(redirect("assessments:respond_page", token=token, number=1), link, response)


def _require_response(request, link):
    response = _current_response(request, link)
    if response is None:
        raise AnswerRejected(
            _(
                "We could not find your answers in this browser. Start from the link again; "
                "answers are kept on the device where you began."
            ),
            status=403,
        )
    return response


def _page_answers_from_post(post, page) -> dict:
    return {
        item.pk: post.get(f"item-{item.pk}") for item in page.items if post.get(f"item-{item.pk}")
    }


@require_http_methods(["GET", "POST"])
def page(request, token, number):
    link = _get_link(token)
    try:
        response = _require_response(request, link)
        if response.is_submitted:
            return redirect("assessments:respond_summary", token=token)
        ensure_round_open(link)
    except AnswerRejected as exc:
        return _rejected(request, link, exc)
    pages = build_pages(link)
    if not 1 <= number <= len(pages):
        raise Http404(_("There is no such page in this assessment."))
    current = pages[number - 1]
    if request.method == "POST":
        try:
            if current.is_background:
                save_background(response, request.POST.get("gender", ""))
            else:
                save_answers(response, _page_answers_from_post(request.POST, current))
        except AnswerRejected as exc:
            return _rejected(request, link, exc)
        return _after_page_post(request, token, number, len(pages))
    return render(
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


def _after_page_post(request, token, number, page_count):
    action = request.POST.get("action", "next")
    if action == "previous" and number > 1:
        return redirect("assessments:respond_page", token=token, number=number - 1)
    if action == "later":
        return redirect("assessments:respond_saved", token=token)
    if action == "submit" and number == page_count:
        return redirect("assessments:respond_review", token=token)
    return redirect("assessments:respond_page", token=token, number=min(number + 1, page_count))


@require_GET
def saved(request, token):
    link = _get_link(token)
    return render(request, "assessments/respond_saved.html", {"link": link, "round": link.round})


@require_http_methods(["GET", "POST"])
def review(request, token):
    """Last step: how many questions are answered, then one button that submits."""
    link = _get_link(token)
    try:
        response = _require_response(request, link)
        if response.is_submitted:
            return redirect("assessments:respond_summary", token=token)
        ensure_round_open(link)
        if request.method == "POST":
            submit(response)
            return redirect("assessments:respond_summary", token=token)
    except AnswerRejected as exc:
        return _rejected(request, link, exc)
    pages = build_pages(link)
    total = sum(len(p.items) for p in pages)
    answered = len(answered_values(response))
    return render(
        request,
        "assessments/respond_review.html",
        {
            "link": link,
            "round": link.round,
            "total": total,
            "answered": answered,
            "unanswered": total - answered,
            "page_count": len(pages),
        },
    )


@require_GET
def summary(request, token):
    link = _get_link(token)
    response = _current_response(request, link)
    if response is None or not response.is_submitted:
        return redirect("assessments:respond_start", token=token)
    return render(
        request,
        "assessments/respond_summary.html",
        {"link": link, "round": link.round, "scores": own_scores(response)},
    )


@require_POST
def autosave(request, token):
    """Save one answer as it is given (progressive enhancement for the page form)."""
    link = _get_link(token)
    try:
        response = _require_response(request, link)
        if "gender" in request.POST:
            save_background(response, request.POST["gender"])
        else:
            save_answers(response, {request.POST.get("item"): request.POST.get("value")})
    except AnswerRejected as exc:
        return JsonResponse({"saved": False, "error": exc.message}, status=exc.status)
    return JsonResponse({"saved": True})
