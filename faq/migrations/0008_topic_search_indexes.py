"""PostgreSQL: search within a topic reads one index instead of intersecting two.

A common word with a topic filter made PostgreSQL build the bitmap of every entry
with the word and every entry in the topic before returning the first match.
btree_gin lets one GIN index hold the topic beside the words, so the index scan
yields only entries that have both (faq_entry, and the narrow title index)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS faq_entry_topic_vector ON faq_entry"
    " USING gin (topic_id, search_vector)",
    "CREATE INDEX IF NOT EXISTS faq_title_topic_vector ON faq_entry_title_index"
    " USING gin (topic_id, vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS faq_title_topic_vector",
    "DROP INDEX IF EXISTS faq_entry_topic_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("faq", "0007_entry_updated_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
