"""PostgreSQL: statistics fine enough for the planner to see that a word is rare.

With the default target (100) ANALYZE keeps about a thousand of the commonest
words, and the planner estimates any other word at 0.5 % of the entries at
least: at a million entries a rare or misspelt word looked like 5,000 matches,
so the first 200 seemed cheapest to find by reading the table in order, and a
word that matched nothing read all of it (0.9 to 2 s). With 1,000 it keeps ten
thousand, and a word outside them is estimated from the rarest one kept: the
index is used, and the cost stays that of the matches."""

from django.db import migrations

TARGET = 1000
COLUMNS = [("faq_entry", "search_vector"), ("faq_entry_title_index", "vector")]


def _set(target):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in COLUMNS:
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {target}",
                params=None,
            )
            schema_editor.execute(f"ANALYZE {table} ({column})", params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("faq", "0011_entry_visitors")]

    operations = [migrations.RunPython(_set(TARGET), _set(-1))]
