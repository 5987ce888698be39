"""The coordinator's side: rounds of their own organisation, links and response counts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lib.access import coordinator_required
from lib.anonymity import threshold

from .access import get_round_for, rounds_for
from .forms import InvitedCountForm, RoundForm
from .rounds import close_early, create_round, link_counts, rounds_with_counts, set_invited_count
from .sharing import qr_svg, shared_links


@require_safe
@coordinator_required
def home(request):
    coordinator = getattr(request.user, "coordinator", None)
    rounds = rounds_with_counts(rounds_for(request.user))
    return render(
        request,
        "assessments/coordinator_home.html",
        {"organisation": coordinator.organisation if coordinator else None, "rounds": rounds},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def round_create(request):
    coordinator = getattr(request.user, "coordinator", None)
    if coordinator is None:
        raise PermissionDenied(_("Only an organisation's coordinator can start its rounds."))
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round_ = create_round(
            organisation=coordinator.organisation, user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The round was created. Share the links below."))
        return redirect("assessments:round_detail", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessments/round_form.html",
        {"form": form, "organisation": coordinator.organisation},
        status=status,
    )


@require_safe
@coordinator_required
def round_detail(request, pk):
    round_ = get_round_for(request.user, pk)
    links = list(link_counts(round_))
    shared = shared_links(links, request)
    return render(
        request,
        "assessments/round_detail.html",
        {
            "round": round_,
            "links": [(item.link, item.url) for item in shared],
            "shared": [
                (
                    item,
                    qr_svg(
                        item.url,
                        _("QR code for the link of %(group)s") % {"group": item.link.target_group},
                    ),
                )
                for item in shared
            ],
            "threshold": threshold(),
            "totals": {
                "started": sum(link.started for link in links),
                "submitted": sum(link.submitted for link in links),
            },
        },
    )


@require_safe
@coordinator_required
def round_link_screen(request, pk, link_pk):
    """One shared link for a screen in a meeting: a big QR code and the short address."""
    round_ = get_round_for(request.user, pk)
    link = round_.links.select_related("target_group").filter(pk=link_pk).first()
    if link is None:
        raise Http404(_("No such link in this round."))
    (item,) = shared_links([link], request)
    return render(
        request,
        "assessments/round_link_screen.html",
        {
            "round": round_,
            "shared": item,
            "qr": qr_svg(
                item.url, _("QR code for the link of %(group)s") % {"group": link.target_group}
            ),
        },
    )


@require_POST
@coordinator_required
def round_invited(request, pk, link_pk):
    round_ = get_round_for(request.user, pk)
    link = round_.links.filter(pk=link_pk).first()
    if link is None:
        raise Http404(_("No such link in this round."))
    if round_.status == "closed":
        messages.error(
            request,
            _(
                "The round is closed, so the numbers invited can no longer be changed: its "
                "response rates were published with it."
            ),
        )
        return redirect("assessments:round_detail", pk=round_.pk)
    form = InvitedCountForm(request.POST, instance=link)
    if form.is_valid():
        set_invited_count(link, form.cleaned_data["invited_count"])
        messages.success(request, _("Saved the number invited."))
    else:
        messages.error(request, _("The number invited must be a whole number, 0 or more."))
    return redirect("assessments:round_detail", pk=round_.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def round_close(request, pk):
    round_ = get_round_for(request.user, pk)
    if request.method == "POST":
        if round_.status != "closed" and close_early(round_):
            messages.success(request, _("The round is closed. The links no longer accept answers."))
        else:
            messages.info(request, _("The round was already closed."))
        return redirect("assessments:round_detail", pk=round_.pk)
    return render(request, "assessments/round_close.html", {"round": round_})
