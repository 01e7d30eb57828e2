"""PostgreSQL: duplicate hints only look among open questions; a partial trigram index
on their titles keeps that search small however many questions are closed."""

from django.db import migrations


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS question_open_title_trgm ON questions_question"
            " USING gin (title gin_trgm_ops) WHERE state = 'submitted'",
            params=None,
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS question_open_title_trgm", params=None)


class Migration(migrations.Migration):
    dependencies = [("questions", "0002_title_trigram_index")]

    operations = [migrations.RunPython(install, remove)]
