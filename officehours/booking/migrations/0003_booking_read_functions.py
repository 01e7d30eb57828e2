"""PostgreSQL functions for the booking path (see booking/services/slot_facts.py
and LOCKING.md): they take the session's lock (an advisory lock: shared by
bookings, exclusive for everything else, queued fairly), the person's and the
slot's, and read after the locks are granted: each statement in a VOLATILE
PL/pgSQL function sees what was committed when it runs. Each returns one row at
most, and says so (ROWS 1): at the default estimate of 1,000 rows a function, the
planner thought the statement huge and compiled it with JIT (0.4 s a booking)."""

from django.db import migrations

_SESSION_LOCKED = """
CREATE OR REPLACE FUNCTION booking_session_{mode}(p_slot bigint, p_timeout text)
RETURNS SETOF booking_session LANGUAGE plpgsql VOLATILE ROWS 1 AS $$
DECLARE
    v_session bigint;
BEGIN
    PERFORM set_config('lock_timeout', p_timeout, true);
    SELECT session_id INTO v_session FROM booking_slot WHERE id = p_slot;
    IF v_session IS NULL THEN
        RETURN;
    END IF;
    PERFORM {lock}(booking_session_key(v_session));
    RETURN QUERY SELECT * FROM booking_session WHERE id = v_session{row_lock};
END $$
"""

FUNCTIONS = [
    """
CREATE OR REPLACE FUNCTION booking_session_key(p_session bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT hashtextextended('booking-session:' || p_session, 0)
$$
""",
    # Shared by bookings, exclusive for every other writer (then its row as well).
    *(
        _SESSION_LOCKED.format(mode=mode, lock=lock, row_lock=row_lock)
        for mode, lock, row_lock in (
            ("shared", "pg_advisory_xact_lock_shared", ""),
            ("exclusive", "pg_advisory_xact_lock", " FOR UPDATE"),
        )
    ),
    """
CREATE OR REPLACE FUNCTION booking_session_unlocked(p_slot bigint, p_timeout text)
RETURNS SETOF booking_session LANGUAGE plpgsql VOLATILE ROWS 1 AS $$
BEGIN
    -- The concurrency tests' negative control: no lock at all.
    RETURN QUERY SELECT * FROM booking_session
        WHERE id = (SELECT session_id FROM booking_slot WHERE id = p_slot);
END $$
""",
    """
CREATE OR REPLACE FUNCTION booking_slot_now(p_session bigint, p_slot bigint)
RETURNS SETOF booking_slot LANGUAGE plpgsql VOLATILE ROWS 1 AS $$
BEGIN
    RETURN QUERY SELECT * FROM booking_slot WHERE id = p_slot AND session_id = p_session;
END $$
""",
    """
CREATE OR REPLACE FUNCTION booking_slot_locked(p_session bigint, p_slot bigint, p_user bigint)
RETURNS SETOF booking_slot LANGUAGE plpgsql VOLATILE ROWS 1 AS $$
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
LANGUAGE plpgsql VOLATILE ROWS 1 AS $$
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
    "DROP FUNCTION IF EXISTS booking_session_shared(bigint, text)",
    "DROP FUNCTION IF EXISTS booking_session_exclusive(bigint, text)",
    "DROP FUNCTION IF EXISTS booking_session_unlocked(bigint, text)",
    "DROP FUNCTION IF EXISTS booking_session_key(bigint)",
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
