"""PostgreSQL: a trigram index on question titles, for the advisers' duplicate hints
(officehours/questions/similar.py). pg_trgm comes with the FAQ's search index."""

from django.db import migrations


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS question_title_trgm"
            " ON questions_question USING gin (title gin_trgm_ops)",
            params=None,
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS question_title_trgm", params=None)


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
