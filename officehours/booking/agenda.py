"""What the advisers' pages read: the session list, one session's agenda, the series.

Selectors only, no writes. Every count comes from the database in the same
query as the rows it belongs to (correlated subqueries), and related rows are
fetched with select_related/prefetch_related, so a page's query count does not
grow with the number of sessions or bookings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from officehours.booking.models import Booking, Series, Session, Slot, WaitlistEntry
from officehours.permissions import ADVISER_GROUP
from officehours.questions.models import Question

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from officehours.accounts.models import User


class _AgendaPrefetch(TypedDict):
    """What session_agenda's prefetches add to each slot (as django-stubs sees them)."""

    active_bookings: list[Booking]
    agenda_questions: list[Question]


def _count_per_session(queryset: QuerySet[Any]) -> Coalesce:
    """The number of rows of `queryset` belonging to the outer session, 0 if none."""
    counted = (
        queryset.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _free_seats_per_session() -> Coalesce:
    """Seats nobody has booked and nobody holds an offer for, summed over live slots."""
    free = (
        Slot.objects.filter(session=OuterRef("pk"), removed=False)
        .order_by()
        .values("session")
        .annotate(
            n=Sum(
                Greatest(
                    F("capacity") - F("booked") - F("held"),
                    Value(0),
                    output_field=IntegerField(),
                ),
                output_field=IntegerField(),
            )
        )
        .values("n")
    )
    return Coalesce(Subquery(free, output_field=IntegerField()), Value(0))


def sessions_with_counts() -> QuerySet[Session]:
    """Sessions with their series and the counts the list shows, one query."""
    return Session.objects.select_related("series").annotate(
        booked_count=_count_per_session(Booking.objects.filter(status=Booking.ACTIVE)),
        no_show_count=_count_per_session(
            Booking.objects.filter(status=Booking.ACTIVE, attendance=Booking.NO_SHOW)
        ),
        waiting_count=_count_per_session(
            WaitlistEntry.objects.filter(status__in=WaitlistEntry.OPEN_STATES)
        ),
        free_count=_free_seats_per_session(),
    )


def session_list(*, now: datetime, past: bool = False) -> QuerySet[Session]:
    """Upcoming sessions (not yet over), soonest first; or past ones, latest first."""
    sessions = sessions_with_counts()
    if past:
        return sessions.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return sessions.filter(ends_at__gt=now).order_by("starts_at", "id")


@dataclass
class Agenda:
    """One session as the adviser running it sees it."""

    session: Session
    # Slots in time order, each with `active_bookings` (a list, in booking order).
    slots: list[WithAnnotations[Slot, _AgendaPrefetch]]
    cancelled: list[Booking] = field(default_factory=list)
    # Open entries (waiting or offered a seat) in line order, then the closed ones.
    waitlist: list[WaitlistEntry] = field(default_factory=list)
    waitlist_closed: list[WaitlistEntry] = field(default_factory=list)

    @property
    def bookings(self) -> list[Booking]:
        return [booking for slot in self.slots for booking in slot.active_bookings]

    @property
    def booked_count(self) -> int:
        return len(self.bookings)

    @property
    def free_count(self) -> int:
        return sum(slot.available for slot in self.slots if not slot.removed)

    @property
    def no_show_count(self) -> int:
        return sum(1 for b in self.bookings if b.attendance == Booking.NO_SHOW)


def session_for_agenda(session_id: int) -> Session:
    """The session with its series; raises Session.DoesNotExist."""
    return Session.objects.select_related("series").get(pk=session_id)


# The fields of an active booking and its person that the agenda reads.
AGENDA_BOOKING_FIELDS = (
    "slot_id",
    "session_id",
    "user_id",
    "status",
    "note",
    "attendance",
    "adviser_note",
    "user__name",
    "user__email",
)


def session_agenda(session: Session) -> Agenda:
    """Who comes when, who cancelled and who is waiting: a fixed number of queries."""
    # Only what the rows show: with 200 people in an hour, whole users cost milliseconds.
    active = (
        Booking.objects.filter(status=Booking.ACTIVE)
        .select_related("user")
        .only(*AGENDA_BOOKING_FIELDS)
        .order_by("created_at", "id")
    )
    slots = [
        slot
        for slot in Slot.objects.filter(session=session)
        .order_by("starts_at", "position")
        .prefetch_related(
            Prefetch("bookings", queryset=active, to_attr="active_bookings"),
            # The questions each person sent with their booking (the questions app): the
            # page shows their titles and states, so the bodies and answers stay behind.
            Prefetch(
                "active_bookings__questions",
                queryset=Question.objects.exclude(state=Question.WITHDRAWN)
                .only("id", "title", "state", "booking_id")
                .order_by("id"),
                to_attr="agenda_questions",
            ),
        )
        # A slot the series no longer has is shown only while it still has bookings.
        if not slot.removed or slot.active_bookings
    ]
    cancelled = list(
        Booking.objects.filter(session=session, status=Booking.CANCELLED)
        .select_related("user", "slot", "cancelled_by")
        .order_by("slot__starts_at", "cancelled_at", "id")
    )
    entries = list(
        WaitlistEntry.objects.filter(session=session)
        .select_related("user", "offered_slot")
        .order_by("created_at", "id")
    )
    return Agenda(
        session=session,
        slots=slots,
        cancelled=cancelled,
        waitlist=[e for e in entries if e.status in WaitlistEntry.OPEN_STATES],
        waitlist_closed=[e for e in entries if e.status not in WaitlistEntry.OPEN_STATES],
    )


def booking_for_action(booking_id: int) -> Booking:
    """A booking an adviser acts on, with who booked, its time and its session and series;
    raises Booking.DoesNotExist."""
    return Booking.objects.select_related("user", "slot", "session__series").get(pk=booking_id)


def adviser_users() -> QuerySet[User]:
    """Who may host a series: active users in the advisers' group."""
    return (
        get_user_model()
        .objects.filter(groups__name=ADVISER_GROUP, is_active=True)
        .distinct()
        .order_by("name", "email")
    )


def series_list() -> QuerySet[Series]:
    """Every series with its advisers, active ones first."""
    advisers = get_user_model().objects.order_by("name", "email")
    return Series.objects.prefetch_related(
        Prefetch("advisers", queryset=advisers, to_attr="adviser_list")
    ).order_by("-is_active", "weekday", "start_time", "title", "id")


def series_for_edit(series_id: int) -> Series:
    """Raises Series.DoesNotExist."""
    return Series.objects.get(pk=series_id)
