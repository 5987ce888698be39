from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from results.models import PoolCell, Publication, PublishedFigure
from results.publication import republish_round


def unkeyed_publications():
    """Publications written before record keys existed: a shown figure without a cell key,
    or no pool cells though a figure is shown."""
    shown = PublishedFigure.objects.filter(
        publication=OuterRef("pk"), status=PublishedFigure.Status.SHOWN
    )
    return Publication.objects.filter(
        Exists(shown.filter(cell_key__isnull=True))
        | (Exists(shown) & ~Exists(PoolCell.objects.filter(publication=OuterRef("pk"))))
    ).select_related("round")


class Command(BaseCommand):
    help = _(
        "Republish, once, every round published before responses had record keys, so that "
        "its figures carry the cell-key noise of docs/privacy-model.md (each becomes a new "
        "edition). Run once after upgrading; later runs find nothing to do."
    )

    def handle(self, **options):
        count = 0
        for publication in unkeyed_publications():
            republish_round(publication.round)
            count += 1
        self.stdout.write(_("%(count)s publications given cell keys.") % {"count": count})
