"""An office that already saved its report settings gets the programme's facts (sender,
recipient, kick-off, reach target) from the data file where it has none; what it wrote stays."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import migrations

FACTS_FILE = Path(__file__).resolve().parent.parent / "data" / "programme.yaml"


def fill(apps, schema_editor):
    ReportSettings = apps.get_model("programme", "ReportSettings")
    facts = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    programme, report = facts["programme"], facts["report"]
    kickoff = programme.get("kickoff")
    for row in ReportSettings.objects.all():
        row.sender = row.sender or report.get("sender", "")
        row.recipient = row.recipient or report.get("recipient", "")
        if row.kickoff is None and kickoff:
            row.kickoff = kickoff if isinstance(kickoff, date) else date.fromisoformat(kickoff)
        if row.reach_target is None:
            row.reach_target = Decimal(str(programme["expected_participation"]))
        row.save()


class Migration(migrations.Migration):
    dependencies = [("programme", "0003_programme_facts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
