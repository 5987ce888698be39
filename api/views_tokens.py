"""The coordinator's (or the programme office's) own API tokens: create one (shown once) and
revoke it. The actions are in ``api.tokens``; these views parse and call."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lib.access import coordinator_required
from lib.urls import absolute_url

from .forms import TokenForm
from .tokens import MAX_PER_USER, TokenRefused, create_token, revoke_token


def _page(request, form=None, new_token=None, status=200):
    response = render(
        request,
        "api/tokens.html",
        {
            "tokens": request.user.api_tokens.all(),
            "form": form or TokenForm(),
            "new_token": new_token,
            "max_tokens": MAX_PER_USER,
            "api_base": absolute_url("/api/v1/", request),
            "is_staff": request.user.is_staff,
        },
        status=status,
    )
    add_never_cache_headers(response)  # a new token is in it, once
    return response


@require_safe
@coordinator_required
def tokens_page(request):
    return _page(request)


@require_POST
@coordinator_required
def create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        _row, token = create_token(request.user, form.cleaned_data["name"])
    except TokenRefused as refused:
        form.add_error(None, str(refused))
        return _page(request, form=form, status=400)
    # Shown in this answer only: never stored, never put in a message or the session.
    return _page(request, new_token=token, status=201)


@require_POST
@coordinator_required
def revoke(request, pk):
    if not revoke_token(request.user, pk):
        raise Http404(_("You have no such token."))
    messages.success(request, _("The token is revoked: it no longer opens anything."))
    return redirect(reverse("api:tokens"))
