"""The library's search forgives a missing å, ä, ö and small typos: PostgreSQL gets the unaccent
and pg_trgm extensions (the operations do nothing on SQLite), every case a folded copy of its
text for SQLite, filled here for the cases already stored."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

from lib.folding import fold

_SEARCHED = (
    "title_sv",
    "summary_sv",
    "what_was_done_sv",
    "what_it_gave_sv",
    "title_en",
    "summary_en",
    "example_organisation",
)


def fold_stored_cases(apps, schema_editor):
    # The historical model has no folded_text(); the same rule, spelt out.
    Case = apps.get_model("learning", "Case")
    for case in Case.objects.select_related("organisation"):
        texts = [getattr(case, name) for name in _SEARCHED]
        if case.organisation_id:
            texts.append(case.organisation.name)
        case.search_text = fold(" ".join(texts))
        case.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_evaluation_record_key"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fold_stored_cases, migrations.RunPython.noop),
    ]
