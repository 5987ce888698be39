from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from results.publication import publish_due


class Command(BaseCommand):
    help = _(
        "Publish the results of every round whose closing date has passed (run daily, "
        "shortly after midnight). Published results never change."
    )

    def handle(self, **options):
        count = publish_due()
        self.stdout.write(_("%(count)s rounds published.") % {"count": count})
