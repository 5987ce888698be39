from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "invitations"
    verbose_name = _("Invitations")

    def ready(self):
        from assessments.signals import round_closed

        from .lists import erase_addresses_of_closed_round

        round_closed.connect(erase_addresses_of_closed_round, dispatch_uid="invitations.erase")
