"""Demo data for `make run`: logins, a national baseline and follow-up with workshops and
action plans between them, webinars, the programme office's follow-up, and Trelleborg's open
round — all on one timeline relative to the day it is loaded (``demo.timeline``).

Idempotent: running it again changes nothing that is already there. Never run it on a
production database (it creates accounts with known passwords); it refuses unless DEBUG
is on or --force is given.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import Round
from demo import population
from demo.national import load_national_demo, wave_names
from demo.plans import load_plan_demo
from demo.programme import load_programme_demo
from demo.resident_pulse import load_pulse_demo
from demo.timeline import timeline
from demo.trelleborg import load_open_round, load_requested_workshop, open_round_name
from demo.webinars import load_webinar_demo
from demo.workshops import attach_to_baselines, load_workshop_demo
from frameworks.loading import load_framework_file
from learning.catalogue import load_example_cases
from lib.urls import absolute_url
from registry.models import Coordinator, Organisation
from results.publication import publish_due

DEMO_PASSWORD = "digilyft-demo"
DEMO_COORDINATORS = [("samordnare.trelleborg", "1287"), ("samordnare.ostergotland", "05")]
DEMO_STAFF = "programkontoret"


class Command(BaseCommand):
    help = "Load demo accounts, a national demo on a timeline relative to today, and an open round."

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
        tl = timeline()
        members = population.build(Organisation.objects.all())
        with transaction.atomic():
            self._accounts()
        load_webinar_demo(tl)
        worked = {}
        for part in (load_workshop_demo(version, tl, members), load_plan_demo(tl, members)):
            for org, goals in (part or {}).items():
                worked.setdefault(org, set()).update(goals)
        population.set_worked(members, worked)
        made = load_national_demo(version, tl, members)
        if made:
            attach_to_baselines(wave_names(tl)[0])
        publish_due()  # the national rounds, closed before today
        residents = load_pulse_demo(tl, Organisation.objects.all())
        load_requested_workshop(tl)
        load_open_round(version, tl, members[Organisation.objects.get(code="1287").pk])
        load_programme_demo(tl)
        if made:
            self.stdout.write(f"Simulated national rounds: {made} responses.")
        if residents:
            self.stdout.write(f"Simulated resident pulses: {residents} residents.")
        demo_round = Round.objects.get(name=open_round_name(tl))
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
