"""Assessments sits below invitations and reaches personal invitations only through the hooks
the invitations app registers in its ready()."""

import pytest

from assessments.invitation_hooks import InvitationHooks, hooks, register
from assessments.models import RoundLink
from invitations import counting, personal


def test_the_invitations_app_plugs_into_the_respondents_flow():
    assert hooks.annotate_links is counting.annotate_invitations
    assert hooks.open_link_cap is counting.open_link_cap_of
    assert hooks.spend_invitation is personal.mark_submitted
    assert hooks.submitted_through_invitations is counting.submitted_through_invitations


@pytest.mark.django_db
def test_without_invitations_a_round_has_none(politician_link):
    bare = InvitationHooks()
    link = bare.annotate_links(RoundLink.objects.filter(pk=politician_link.pk)).get()
    assert (link.invitation_count, link.invitations_submitted) == (0, 0)
    assert bare.open_link_cap(link) is None
    assert bare.spend_invitation(link.pk, "any", "draft") is False


def test_an_unknown_hook_is_refused():
    with pytest.raises(TypeError):
        register(send_postcards=print)
