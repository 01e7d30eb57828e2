"""The booking path reads with ordinary queries after taking its locks (LOCKING.md):
the PostgreSQL functions of migration 0003 are no longer called, and go."""

from django.db import migrations


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for signature in (
        "booking_session_shared(bigint, text)",
        "booking_session_exclusive(bigint, text)",
        "booking_session_unlocked(bigint, text)",
        "booking_slot_now(bigint, bigint)",
        "booking_slot_locked(bigint, bigint, bigint)",
        "booking_facts_now(bigint, bigint, bigint, text, text[])",
        "booking_session_key(bigint)",
    ):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {signature}", params=None)


class Migration(migrations.Migration):
    dependencies = [("booking", "0006_remove_unused_notified_at")]

    # Nothing to undo: 0003 no longer makes them either.
    operations = [migrations.RunPython(_drop, migrations.RunPython.noop)]
