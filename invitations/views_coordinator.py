"""The coordinator's invitation page: lists per target group, sending, reminders, open links."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from assessments.access import get_round_for
from assessments.models import Round
from assessments.rounds import link_counts, set_open_links
from lib.access import coordinator_required

from .forms import AddListForm, OpenLinksForm, ReminderForm
from .lists import ListRejected, add_to_list, read_list
from .sending import bounced, queue_invitations, round_progress, set_reminder_days


def _sending_context(round_: Round, links) -> dict:
    return {
        "round": round_,
        "links": links,
        "progress": round_progress(round_),
        "is_closed": round_.status == "closed",
        "page_url": reverse("invitations:round_invitations", args=[round_.pk]),
    }


def _page(request, round_: Round, add_form=None, list_errors=(), reminder_form=None, status=200):
    links = list(link_counts(round_))
    days = list(round_.reminder_days.values_list("days_before", flat=True))
    return render(
        request,
        "invitations/round_invitations.html",
        {
            **_sending_context(round_, links),
            "bounced": bounced(round_),
            "add_form": add_form or AddListForm(links=links),
            "list_errors": list_errors,
            "reminder_form": reminder_form
            or ReminderForm(initial={"days": ", ".join(str(d) for d in days)}),
            "open_links_form": OpenLinksForm(initial={"open_links": round_.open_links}),
        },
        status=status,
    )


@require_safe
@coordinator_required
def round_invitations(request, pk):
    return _page(request, get_round_for(request.user, pk))


@require_safe
@coordinator_required
def sending_progress(request, pk):
    """The counts and the send button alone, for the page's script to follow a sending."""
    round_ = get_round_for(request.user, pk)
    response = render(
        request,
        "invitations/_sending.html",
        _sending_context(round_, list(link_counts(round_))),
    )
    add_never_cache_headers(response)
    return response


def _refuse_if_closed(request, round_):
    if round_.status == "closed":
        messages.error(request, _("The round is closed: invitations can no longer be changed."))
        return redirect("invitations:round_invitations", pk=round_.pk)
    return None


@require_POST
@coordinator_required
def add_list(request, pk):
    round_ = get_round_for(request.user, pk)
    if refused := _refuse_if_closed(request, round_):
        return refused
    links = list(round_.links.select_related("target_group"))
    form = AddListForm(request.POST, request.FILES, links=links)
    if not form.is_valid():
        return _page(request, round_, add_form=form, status=400)
    link = next(link for link in links if link.pk == form.cleaned_data["link"])
    parsed = read_list(
        text=form.cleaned_data["addresses"],
        upload=form.cleaned_data["upload"],
        default_language=form.cleaned_data["language"],
    )
    try:
        added = add_to_list(link, parsed)
    except ListRejected as exc:
        return _page(request, round_, add_form=form, list_errors=exc.errors, status=400)
    messages.success(
        request,
        ngettext(
            "Added %(count)s address to %(group)s.",
            "Added %(count)s addresses to %(group)s.",
            added.added,
        )
        % {"count": added.added, "group": link.target_group.name}
        + (
            " "
            + ngettext(
                "%(count)s was already on the list or listed twice, and was merged.",
                "%(count)s were already on the list or listed twice, and were merged.",
                added.already_listed,
            )
            % {"count": added.already_listed}
            if added.already_listed
            else ""
        ),
    )
    return redirect("invitations:round_invitations", pk=round_.pk)


@require_POST
@coordinator_required
def send(request, pk):
    round_ = get_round_for(request.user, pk)
    if refused := _refuse_if_closed(request, round_):
        return refused
    queued = queue_invitations(round_)
    if queued:
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is being sent. The counts below show the progress.",
                "%(count)s invitations are being sent. The counts below show the progress.",
                queued,
            )
            % {"count": queued},
        )
    else:
        messages.info(request, _("Every invitation on the lists has been sent or is being sent."))
    return redirect("invitations:round_invitations", pk=round_.pk)


@require_POST
@coordinator_required
def reminders(request, pk):
    round_ = get_round_for(request.user, pk)
    if refused := _refuse_if_closed(request, round_):
        return refused
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _page(request, round_, reminder_form=form, status=400)
    set_reminder_days(round_, form.cleaned_data["days"])
    messages.success(request, _("Saved the reminders."))
    return redirect("invitations:round_invitations", pk=round_.pk)


@require_POST
@coordinator_required
def open_links(request, pk):
    round_ = get_round_for(request.user, pk)
    if refused := _refuse_if_closed(request, round_):
        return refused
    form = OpenLinksForm(request.POST)
    form.is_valid()  # a checkbox: absent means off
    set_open_links(round_, form.cleaned_data.get("open_links", False))
    if round_.open_links:
        messages.success(request, _("The shared links accept answers."))
    else:
        messages.success(request, _("Only personal invitation links accept answers now."))
    return redirect("invitations:round_invitations", pk=round_.pk)
