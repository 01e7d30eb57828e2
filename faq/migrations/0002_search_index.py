"""The full-text indexes, kept in step by the database itself, whoever writes the rows.

PostgreSQL: a trigger fills entry.search_vector with each entry's own language's
configuration (swedish or english), weighted title A > tags B > answer C, under
a GIN index; pg_trgm indexes the word list for "did you mean".
SQLite: an external-content FTS5 table with triggers on insert, update and delete.

Django remakes a SQLite table to alter it, which drops its triggers: a later
migration that alters faq_entry must call install_sqlite() again.
"""

from django.db import migrations

PG_INSTALL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE FUNCTION faq_entry_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := CASE NEW.language
        WHEN 'sv' THEN 'pg_catalog.swedish'::regconfig
        ELSE 'pg_catalog.english'::regconfig END;
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(config, coalesce(NEW.tags_text, '')), 'B')
        || setweight(to_tsvector(config, coalesce(NEW.answer, '')), 'C');
    RETURN NEW;
END
$$;
CREATE TRIGGER faq_entry_search_vector
    BEFORE INSERT OR UPDATE OF title, tags_text, answer, language ON faq_entry
    FOR EACH ROW EXECUTE FUNCTION faq_entry_search_vector();
CREATE INDEX faq_entry_search_vector_gin ON faq_entry USING gin (search_vector);
CREATE INDEX faq_searchword_trgm ON faq_searchword USING gin (word gin_trgm_ops);
"""

PG_REMOVE = """
DROP INDEX IF EXISTS faq_searchword_trgm;
DROP INDEX IF EXISTS faq_entry_search_vector_gin;
DROP TRIGGER IF EXISTS faq_entry_search_vector ON faq_entry;
DROP FUNCTION IF EXISTS faq_entry_search_vector();
"""

SQLITE_INSTALL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS faq_entry_fts USING fts5(
        title, tags_text, answer,
        content='faq_entry', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0")""",
    """CREATE TRIGGER IF NOT EXISTS faq_entry_fts_insert AFTER INSERT ON faq_entry BEGIN
        INSERT INTO faq_entry_fts(rowid, title, tags_text, answer)
        VALUES (new.id, new.title, new.tags_text, new.answer);
    END""",
    """CREATE TRIGGER IF NOT EXISTS faq_entry_fts_delete AFTER DELETE ON faq_entry BEGIN
        INSERT INTO faq_entry_fts(faq_entry_fts, rowid, title, tags_text, answer)
        VALUES ('delete', old.id, old.title, old.tags_text, old.answer);
    END""",
    """CREATE TRIGGER IF NOT EXISTS faq_entry_fts_update
    AFTER UPDATE OF title, tags_text, answer ON faq_entry BEGIN
        INSERT INTO faq_entry_fts(faq_entry_fts, rowid, title, tags_text, answer)
        VALUES ('delete', old.id, old.title, old.tags_text, old.answer);
        INSERT INTO faq_entry_fts(rowid, title, tags_text, answer)
        VALUES (new.id, new.title, new.tags_text, new.answer);
    END""",
    # Whatever the table already holds (a re-install after a table remake).
    "INSERT INTO faq_entry_fts(faq_entry_fts) VALUES ('rebuild')",
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS faq_entry_fts_update",
    "DROP TRIGGER IF EXISTS faq_entry_fts_delete",
    "DROP TRIGGER IF EXISTS faq_entry_fts_insert",
    "DROP TABLE IF EXISTS faq_entry_fts",
]


def install_sqlite(schema_editor):
    for statement in SQLITE_INSTALL:
        schema_editor.execute(statement)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_INSTALL, params=None)
    elif vendor == "sqlite":
        install_sqlite(schema_editor)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REMOVE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("faq", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
