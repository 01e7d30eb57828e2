"""Hand-written SQL on the booking path builds and writes what the ORM would."""

from datetime import datetime

import pytest
import time_machine
from django.db import connection

from officehours import rawrows
from officehours.accounts.models import User
from officehours.booking.models import Booking, BookingEvent, Series, Session, Slot
from officehours.booking.services.bookings import booking_create
from officehours.notifications.models import Notification
from tests.booking_factories import make_series
from tests.clock import NOW
from tests.people import make_user


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def read_raw(model, pk, cursor_of=connection.cursor):
    table = connection.ops.quote_name(model._meta.db_table)
    with cursor_of() as cursor:
        cursor.execute(
            f"SELECT {rawrows.select_list(model, 't')} FROM {table} t WHERE t.id = %s",  # noqa: S608
            [pk],
        )
        return rawrows.read(model, cursor.fetchone())


@pytest.mark.django_db
@pytest.mark.parametrize("cursor_of", [connection.cursor, rawrows.server_bound_cursor])
@pytest.mark.parametrize("model", [Series, Session, Slot, User])
def test_a_row_read_by_hand_is_the_instance_the_orm_builds(model, cursor_of):
    with time_machine.travel(NOW, tick=False):
        series = make_series(reminder_offsets=[1440, 60])
    make_user("anna@example.se")
    instance = model.objects.order_by("pk").first() if model is not Series else series
    read = read_raw(model, instance.pk, cursor_of)
    assert not read._state.adding
    raw = fields_of(read)
    orm = fields_of(model.objects.get(pk=instance.pk))
    assert raw == orm
    # The same time zone object too (the server-bound cursor parses with psycopg's loader).
    assert {k: v.tzinfo for k, v in raw.items() if isinstance(v, datetime)} == {
        k: v.tzinfo for k, v in orm.items() if isinstance(v, datetime)
    }


@pytest.mark.django_db
def test_an_insert_written_by_hand_reads_back_as_built():
    with time_machine.travel(NOW, tick=False):
        series = make_series()
    slot = series.sessions.order_by("starts_at").first().slots.first()
    person = make_user("anna@example.se")
    booking = Booking(slot=slot, session=slot.session, user=person, note="Om TikTok", pk=9001)
    sql, params = rawrows.insert_sql([booking])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    stored = Booking.objects.get(pk=9001)
    assert fields_of(stored) == fields_of(booking)
    assert booking.updated_at is not None  # auto_now applied as the ORM would


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_one_statement_booking_writes_what_the_orm_path_writes(settings):
    """PostgreSQL books in one statement while nobody waits; with locking switched off
    (the concurrency tests' negative control) it books the ORM way. Same rows."""
    with time_machine.travel(NOW, tick=False):
        series = make_series(weeks_ahead=2)
    slots = list(series.sessions.order_by("starts_at").first().slots.order_by("position"))
    fast_person, orm_person = make_user("fast@example.se"), make_user("orm@example.se")

    with time_machine.travel(NOW, tick=False):
        fast = booking_create(user=fast_person, slot_id=slots[0].pk, note="Om X")
        settings.BOOKING_LOCKING = False
        orm = booking_create(user=orm_person, slot_id=slots[1].pk, note="Om X")

    def written(booking):
        stored = Booking.objects.get(pk=booking.pk)
        events = list(BookingEvent.objects.filter(booking=booking).values_list("kind", "actor_id"))
        mails = sorted(
            Notification.objects.filter(booking=booking).values_list(
                "kind", "offset_minutes", "status", "recipient_id"
            )
        )
        return stored, events, mails

    fast_row, fast_events, fast_mails = written(fast)
    _orm_row, orm_events, orm_mails = written(orm)
    assert fast_events == [("created", fast_person.pk)]
    assert orm_events == [("created", orm_person.pk)]
    assert [m[:3] for m in fast_mails] == [m[:3] for m in orm_mails]
    assert [m[:2] for m in fast_mails] == [("booking_confirmed", None)]  # reminders come later
    assert {m[3] for m in fast_mails} == {fast_person.pk}
    assert (fast_row.status, fast_row.note, fast_row.sequence) == ("active", "Om X", 0)
    assert fields_of(fast_row) == fields_of(fast) | {"updated_at": fast_row.updated_at}
    assert Slot.objects.get(pk=slots[0].pk).booked == 1
    # The event's own e-mail names the event: the same key the ORM path writes.
    event = BookingEvent.objects.get(booking=fast)
    assert Notification.objects.filter(key=f"booking-event:{event.pk}:{fast_person.pk}").exists()
