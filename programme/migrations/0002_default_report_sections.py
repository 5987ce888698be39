"""The report's text sections exist from the start, so that showing the report writes nothing."""

from django.db import migrations

SECTIONS = [
    ("summary", "Sammanfattning"),
    ("priorities", "Prioriteringar och urval"),
    ("gender", "Jämställdhetsperspektiv"),
    ("lessons", "Lärdomar och fortsättning"),
]


def create_sections(apps, schema_editor):
    ReportSection = apps.get_model("programme", "ReportSection")
    for order, (key, title) in enumerate(SECTIONS):
        ReportSection.objects.get_or_create(key=key, defaults={"title": title, "order": order})


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(create_sections, migrations.RunPython.noop)]
