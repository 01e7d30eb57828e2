"""PostgreSQL: a trigger keeps faq_entry_title_index in step with faq_entry (title and
tags weighted A and B in the entry's language, plus the columns searches filter
on), under a GIN index. SQLite does not use the table."""

from django.db import migrations

PG_INSTALL = """
CREATE FUNCTION faq_entry_title_index() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := CASE NEW.language
        WHEN 'sv' THEN 'pg_catalog.swedish'::regconfig
        ELSE 'pg_catalog.english'::regconfig END;
BEGIN
    INSERT INTO faq_entry_title_index (entry_id, language, state, topic_id, vector)
    VALUES (
        NEW.id, NEW.language, NEW.state, NEW.topic_id,
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(config, coalesce(NEW.tags_text, '')), 'B')
    )
    ON CONFLICT (entry_id) DO UPDATE SET
        language = EXCLUDED.language,
        state = EXCLUDED.state,
        topic_id = EXCLUDED.topic_id,
        vector = EXCLUDED.vector;
    RETURN NULL;
END
$$;
CREATE TRIGGER faq_entry_title_index
    AFTER INSERT OR UPDATE OF title, tags_text, language, state, topic_id ON faq_entry
    FOR EACH ROW EXECUTE FUNCTION faq_entry_title_index();
CREATE INDEX faq_entry_title_index_gin ON faq_entry_title_index USING gin (vector);
INSERT INTO faq_entry_title_index (entry_id, language, state, topic_id, vector)
SELECT e.id, e.language, e.state, e.topic_id,
    setweight(to_tsvector(c.config, coalesce(e.title, '')), 'A')
    || setweight(to_tsvector(c.config, coalesce(e.tags_text, '')), 'B')
FROM faq_entry e
CROSS JOIN LATERAL (SELECT CASE e.language
    WHEN 'sv' THEN 'pg_catalog.swedish'::regconfig
    ELSE 'pg_catalog.english'::regconfig END AS config) c
ON CONFLICT (entry_id) DO NOTHING;
"""

PG_REMOVE = """
DROP INDEX IF EXISTS faq_entry_title_index_gin;
DROP TRIGGER IF EXISTS faq_entry_title_index ON faq_entry;
DROP FUNCTION IF EXISTS faq_entry_title_index();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("faq", "0003_title_index")]

    operations = [migrations.RunPython(install, remove)]
