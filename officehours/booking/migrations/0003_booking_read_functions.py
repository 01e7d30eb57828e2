"""PostgreSQL functions the booking path calls on the session row it has just
locked (see booking/services/slot_facts.py): each statement in a VOLATILE
PL/pgSQL function sees what was committed when it runs, so after the lock, not
before. booking_slot_locked also takes the person's lock and the slot's."""

from django.db import migrations

FUNCTIONS = [
    """
CREATE OR REPLACE FUNCTION booking_slot_now(p_session bigint, p_slot bigint)
RETURNS SETOF booking_slot LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RETURN QUERY SELECT * FROM booking_slot WHERE id = p_slot AND session_id = p_session;
END $$
""",
    """
CREATE OR REPLACE FUNCTION booking_slot_locked(p_session bigint, p_slot bigint, p_user bigint)
RETURNS SETOF booking_slot LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- The person first, then the slot: always in this order (LOCKING.md).
    PERFORM pg_advisory_xact_lock(
        hashtextextended('booking-person:' || p_session || ':' || p_user, 0)
    );
    RETURN QUERY SELECT * FROM booking_slot
        WHERE id = p_slot AND session_id = p_session FOR UPDATE;
END $$
""",
    """
CREATE OR REPLACE FUNCTION booking_facts_now(
    p_session bigint, p_slot bigint, p_user bigint, p_active text, p_waiting text[]
)
RETURNS TABLE (queue boolean, mine bigint, mine_here boolean)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RETURN QUERY SELECT
        EXISTS (SELECT 1 FROM booking_waitlistentry w
                WHERE w.session_id = p_session AND w.status = ANY (p_waiting)),
        (SELECT COUNT(*) FROM booking_booking b
         WHERE b.session_id = p_session AND b.user_id = p_user AND b.status = p_active),
        EXISTS (SELECT 1 FROM booking_booking b
                WHERE b.slot_id = p_slot AND b.user_id = p_user AND b.status = p_active);
END $$
""",
]

DROP = [
    "DROP FUNCTION IF EXISTS booking_slot_now(bigint, bigint)",
    "DROP FUNCTION IF EXISTS booking_slot_locked(bigint, bigint, bigint)",
    "DROP FUNCTION IF EXISTS booking_facts_now(bigint, bigint, bigint, text, text[])",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("booking", "0002_notification_preferences")]

    operations = [migrations.RunPython(_run(FUNCTIONS), _run(DROP))]
