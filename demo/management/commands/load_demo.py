"""Demo data for `make run`: logins, and an open round with a few submitted responses.

Idempotent: running it again changes nothing that is already there. Never run it on a
production database (it creates accounts with known passwords); it refuses unless DEBUG
is on or --force is given.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, Response, Round
from assessments.questionnaire import visible_items
from assessments.rounds import create_round
from demo.national import load_national_demo
from demo.programme import load_programme_demo
from demo.webinars import load_webinar_demo
from demo.workshops import load_workshop_demo
from frameworks.loading import load_framework_file
from learning.catalogue import load_example_cases
from lib.urls import absolute_url
from registry.models import Coordinator, Organisation
from results.publication import publish_due

DEMO_PASSWORD = "digilyft-demo"
DEMO_COORDINATORS = [("samordnare.trelleborg", "1287"), ("samordnare.ostergotland", "05")]
DEMO_STAFF = "programkontoret"


class Command(BaseCommand):
    help = "Load demo accounts and an open assessment round with a few responses."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also when DEBUG is off")

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "load_demo creates accounts with known passwords; use --force to confirm"
            )
        call_command("import_organisations", verbosity=0, stdout=self.stdout)
        version, _ = load_framework_file()
        call_command("load_learning_catalogue", verbosity=0, stdout=self.stdout)
        load_example_cases()  # made-up examples under made-up names: the demo only
        with transaction.atomic():
            self._accounts()
            self._demo_round(version)
        load_webinar_demo()
        load_programme_demo()
        worked = load_workshop_demo(version)
        made = load_national_demo(version, worked)
        publish_due()  # rounds whose closing date has passed since the demo was loaded
        if made:
            self.stdout.write(f"Simulated national rounds: {made} responses.")
        demo_round = Round.objects.get(name="Demo 2026")
        for link in demo_round.links.select_related("target_group"):
            url = absolute_url(f"/s/{link.token}/")
            self.stdout.write(f"  respondent link ({link.target_group.name_en}): {url}")
        self.stdout.write("Demo data ready.")

    def _accounts(self):
        User = get_user_model()
        staff, created = User.objects.get_or_create(
            username=DEMO_STAFF,
            defaults={
                "is_staff": True,
                "is_superuser": True,
                "email": "programkontoret@example.org",
            },
        )
        if created:
            staff.set_password(DEMO_PASSWORD)
            staff.save()
        for username, code in DEMO_COORDINATORS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Coordinator.objects.get_or_create(
                user=user, defaults={"organisation": Organisation.objects.get(code=code)}
            )

    def _demo_round(self, version):
        organisation = Organisation.objects.get(code=DEMO_COORDINATORS[0][1])
        if Round.objects.filter(organisation=organisation, name="Demo 2026").exists():
            return
        today = timezone.localdate()
        round_ = create_round(
            organisation=organisation,
            user=None,
            name="Demo 2026",
            kind=Round.Kind.FOLLOW_UP,
            version=version,
            opens_on=today - timedelta(days=7),
            closes_on=today + timedelta(days=60),
        )
        rng = random.Random(2026)
        for link, count in zip(round_.links.all(), [6, 7, 5], strict=False):
            items = list(visible_items(link).values_list("pk", flat=True))
            for _ in range(count):
                response = Response.objects.create(
                    link=link,
                    round=round_,
                    gender=rng.choice(["woman", "man", "woman", "man", "", "undisclosed"]),
                    submitted_on=timezone.localdate(),
                    secret=None,  # a submitted response keeps no key to a device
                )
                Answer.objects.bulk_create(
                    Answer(response=response, item_id=item, value=_demo_value(rng))
                    for item in items
                )


def _demo_value(rng: random.Random) -> int | None:
    return None if rng.random() < 0.08 else rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5])
