"""The resident pulse's pages: the coordinator's (start, follow, close) and the public ones
(answer, published figures)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessments.sharing import qr_svg
from lib.access import coordinator_required
from lib.anonymity import threshold
from lib.choices import Gender
from lib.ratelimit import limit_per_address
from lib.urls import absolute_url

from .access import get_pulse_for, pulses_for
from .answering import (
    DONT_KNOW,
    HONEYPOT,
    STARTED,
    has_answered,
    looks_like_a_bot,
    mark_answered,
    read_answers,
    started_token,
)
from .figures import pulse_results
from .forms import PulseForm
from .gap import expectation_gap
from .models import AgeBand, Pulse, PulsePublication
from .pulses import close_early, start_pulse, store_answers, with_counts


@require_safe
@coordinator_required
def pulse_list(request):
    coordinator = getattr(request.user, "coordinator", None)
    return render(
        request,
        "pulse/list.html",
        {
            "organisation": coordinator.organisation if coordinator else None,
            "pulses": with_counts(pulses_for(request.user)),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def pulse_create(request):
    coordinator = getattr(request.user, "coordinator", None)
    if coordinator is None:
        raise PermissionDenied(_("Only an organisation's coordinator can start its pulses."))
    form = PulseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pulse = start_pulse(
            organisation=coordinator.organisation, user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The pulse was started. Share its link and QR code."))
        return redirect("pulse:detail", pk=pulse.pk)
    return render(
        request,
        "pulse/form.html",
        {"form": form, "organisation": coordinator.organisation},
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@coordinator_required
def pulse_detail(request, pk):
    pulse = get_pulse_for(request.user, pk)
    url = absolute_url(reverse("pulse:answer", args=[pulse.token]), request)
    return render(
        request,
        "pulse/detail.html",
        {
            "pulse": pulse,
            "url": url,
            "qr": qr_svg(url, _("QR code for the pulse's link")),
            "answered": pulse.responses.count(),
            "threshold": threshold(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def pulse_close(request, pk):
    pulse = get_pulse_for(request.user, pk)
    if request.method == "POST":
        if pulse.status != "closed" and close_early(pulse):
            messages.success(request, _("The pulse is closed and its figures are published."))
        else:
            messages.info(request, _("The pulse was already closed."))
        return redirect("pulse:detail", pk=pulse.pk)
    return render(request, "pulse/close.html", {"pulse": pulse})


def _get_open_link(token: str) -> Pulse:
    pulse = Pulse.objects.select_related("organisation", "version").filter(token=token).first()
    if pulse is None:
        raise Http404(_("This link is not valid. Check that you copied the whole link."))
    return pulse


def _form_context(pulse, answers=None):
    statements = list(pulse.version.statements.all())
    current = answers.values if answers else {}
    return {
        "pulse": pulse,
        "statements": [
            (
                s,
                s.text_for(pulse.organisation),
                DONT_KNOW if current.get(s.pk, 0) is None else str(current.get(s.pk, "")),
            )
            for s in statements
        ],
        "scale": pulse.version.scale_steps(),
        "age_bands": AgeBand.choices,
        "genders": Gender.choices,
        "answers": answers,
        "honeypot": HONEYPOT,
        "started_name": STARTED,
        "started": started_token(pulse),
    }


def _private(response):
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@limit_per_address("pulse-answer", "DIGILYFT_PULSE_ANSWERS_PER_HOUR")
def answer(request, token):
    """One page: the statements, the optional age band and gender, send. Works without
    JavaScript. A browser answers once; a bot's form is dropped quietly."""
    pulse = _get_open_link(token)
    if pulse.status != "open":
        return render(request, "pulse/not_open.html", {"pulse": pulse}, status=410)
    if has_answered(request, pulse):
        return _private(render(request, "pulse/already.html", {"pulse": pulse}))
    if request.method != "POST":
        return _private(render(request, "pulse/answer.html", _form_context(pulse)))
    statements = list(pulse.version.statements.all())
    if looks_like_a_bot(pulse, request.POST):
        return mark_answered(
            _private(render(request, "pulse/thanks.html", {"pulse": pulse})), pulse
        )
    answers = read_answers(pulse, statements, request.POST)
    if answers.errors:
        return _private(
            render(request, "pulse/answer.html", _form_context(pulse, answers), status=400)
        )
    store_answers(pulse, answers.values, answers.age_band, answers.gender)
    return mark_answered(_private(render(request, "pulse/thanks.html", {"pulse": pulse})), pulse)


@require_safe
def results(request, pk):
    """A pulse's published figures, for everyone; before publication, when they will come."""
    pulse = Pulse.objects.select_related("organisation", "version").filter(pk=pk).first()
    if pulse is None:
        raise Http404(_("No such resident pulse."))
    publication = PulsePublication.objects.filter(pulse=pulse).first()
    coordinator = getattr(request.user, "coordinator", None)
    own = request.user.is_staff or (
        coordinator is not None and coordinator.organisation_id == pulse.organisation_id
    )
    return render(
        request,
        "pulse/results.html",
        {
            "pulse": pulse,
            "publication": publication,
            "results": pulse_results(publication) if publication else None,
            "threshold": threshold(),
            # The leadership's figures are the organisation's own: shown to it and to staff.
            "gap": expectation_gap(pulse) if publication and own else None,
        },
    )
