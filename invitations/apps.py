from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "invitations"
    verbose_name = _("Invitations")

    def ready(self):
        from assessments import invitation_hooks
        from assessments.signals import round_closed

        from . import counting, personal
        from .lists import erase_addresses_of_closed_round

        round_closed.connect(erase_addresses_of_closed_round, dispatch_uid="invitations.erase")
        # assessments sits below invitations: it reaches personal invitations through these.
        invitation_hooks.register(
            annotate_links=counting.annotate_invitations,
            submitted_through_invitations=counting.submitted_through_invitations,
            open_link_cap=counting.open_link_cap_of,
            spend_invitation=personal.mark_submitted,
        )
