"""The weekly question hour: a series, its sessions (one a week), their slots, bookings
and the waitlist.

Times are stored in UTC. A series keeps its wall-clock time (weekday, start
time) in its own time zone, so sessions stay at 10:00 local on both sides of a
daylight-saving change; see schedule.py.
"""

import datetime
import uuid
import zoneinfo

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from officehours import model_defaults

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 60]


def _today() -> datetime.date:
    return timezone.localdate()


class Series(models.Model):
    """A recurring weekly question hour, e.g. "Thursdays 10:00-11:00, four 15-minute slots"."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=model_defaults.language_code,
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start_time = models.TimeField(_("start time"), help_text=_("Local time in the time zone."))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=15)
    seats_per_slot = models.PositiveSmallIntegerField(_("seats per slot"), default=1)
    timezone = models.CharField(_("time zone"), max_length=64, default=model_defaults.time_zone)
    location = models.CharField(_("location"), max_length=200, blank=True)
    meeting_url = models.URLField(_("online meeting link"), blank=True)
    advisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="hosted_series",
        verbose_name=_("advisers"),
    )
    weeks_ahead = models.PositiveSmallIntegerField(
        _("weeks ahead"), default=4, help_text=_("How many weeks ahead booking opens.")
    )
    min_notice_minutes = models.PositiveIntegerField(
        _("minimum notice (minutes)"),
        default=60,
        help_text=_("Booking closes this long before a slot starts."),
    )
    cancel_cutoff_minutes = models.PositiveIntegerField(
        _("cancellation cut-off (minutes)"),
        default=0,
        help_text=_("Employees can cancel or move a booking until this long before it starts."),
    )
    max_active_bookings = models.PositiveSmallIntegerField(
        _("bookings per person and session"), default=1
    )
    holiday_country = models.CharField(
        _("public holidays of"), max_length=2, default=model_defaults.holiday_country
    )
    # Minutes before a slot when reminders go out (default a day and an hour).
    reminder_offsets = models.JSONField(
        _("reminders (minutes before)"), default=default_reminder_offsets, blank=True
    )
    starts_on = models.DateField(_("first week"), default=_today)
    is_active = models.BooleanField(_("active"), default=True)
    live_approval = models.BooleanField(
        _("approve live questions"),
        default=True,
        help_text=_(
            "Questions asked during the hour wait for an adviser before colleagues see them."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question hour series")
        verbose_name_plural = _("question hour series")
        ordering = ["weekday", "start_time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="series_weekday_0_6"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=1), name="series_slot_positive"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=F("slot_minutes")), name="series_slot_fits"
            ),
            models.CheckConstraint(
                condition=Q(seats_per_slot__gte=1), name="series_seats_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_active_bookings__gte=1), name="series_cap_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def slot_count(self) -> int:
        return self.duration_minutes // self.slot_minutes

    def clean(self) -> None:
        errors = {}
        if self.slot_minutes and self.slot_minutes < 5:
            errors["slot_minutes"] = _("Slots are at least 5 minutes long.")
        elif self.slot_minutes and self.duration_minutes % self.slot_minutes:
            errors["duration_minutes"] = _("The hour must hold a whole number of slots.")
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe"
            errors["timezone"] = _("Not a known time zone.")
        if self.holiday_country and self.holiday_country not in holidays.list_supported_countries():
            errors["holiday_country"] = _("Not a country we know the holidays of.")
        if errors:
            raise ValidationError(errors)


class Session(models.Model):
    """One week's question hour."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    STATUS_CHOICES = [
        (SCHEDULED, pgettext_lazy("session status", "scheduled")),
        (CANCELLED, pgettext_lazy("session status", "cancelled")),
    ]

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("series")
    )
    # Monday of the ISO week: the session's identity, kept when it is moved or the
    # series changes weekday, so its bookings can move along.
    week = models.DateField(_("week"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    meeting_url = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=SCHEDULED)
    # Set when the week was skipped automatically for a public holiday.
    holiday_name = models.CharField(_("holiday"), max_length=200, blank=True)
    # An adviser reinstated a holiday week: the sync job leaves it alone.
    reinstated = models.BooleanField(default=False)
    # An adviser moved this week's time or place: series edits no longer touch them.
    moved = models.BooleanField(default=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The live hour (officehours/live): the question the advisers are answering, and a
    # number that rises with every change viewers should see, so that a poll asking
    # "anything since N?" is one primary-key read.
    now_answering = models.ForeignKey(
        "questions.Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    live_version = models.PositiveIntegerField(default=0)
    # When the after-the-hour e-mail was queued (once per session).
    live_summary_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "week"], name="session_one_per_week"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_at")]

    def __str__(self) -> str:
        return f"{self.series.title} {self.starts_at:%Y-%m-%d}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.CANCELLED


class Slot(models.Model):
    """A bookable part of a session with a number of seats.

    `booked` and `held` count active bookings and standing waitlist offers; the
    check constraint makes the database refuse an oversold slot whatever the code does.
    """

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="slots", verbose_name=_("session")
    )
    position = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("seats"))
    booked = models.PositiveSmallIntegerField(default=0)
    held = models.PositiveSmallIntegerField(default=0)
    # The series was shortened and this slot no longer exists; kept for its past bookings.
    removed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="slot_position_unique"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity") - F("held")), name="slot_not_oversold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.position + 1}"

    @property
    def available(self) -> int:
        return max(0, self.capacity - self.booked - self.held)


class Booking(models.Model):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    STATUS_CHOICES = [
        (ACTIVE, pgettext_lazy("booking status", "booked")),
        (CANCELLED, pgettext_lazy("booking status", "cancelled")),
    ]
    UNKNOWN = "unknown"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    ATTENDANCE_CHOICES = [
        (UNKNOWN, _("not marked")),
        (ATTENDED, _("attended")),
        (NO_SHOW, _("no-show")),
    ]

    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot")
    )
    # Kept beside the slot so the per-person cap is one indexed count. Session and
    # user have no index of their own: the two composite indexes below lead with them.
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("session"),
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="bookings",
        verbose_name=_("employee"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=ACTIVE)
    note = models.TextField(_("what you want to ask"), blank=True, max_length=4000)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=ATTENDANCE_CHOICES, default=UNKNOWN
    )
    adviser_note = models.TextField(_("internal note"), blank=True, max_length=4000)
    # One calendar identity for the booking's whole life: a reschedule or a
    # cancellation updates the event the invitation made (SEQUENCE counts the changes).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "user"],
                condition=Q(status="active"),
                name="booking_one_active_per_slot_and_user",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "user", "status"], name="booking_session_user"),
            models.Index(fields=["user", "status"], name="booking_user_status"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.slot}"

    @property
    def is_active(self) -> bool:
        return self.status == self.ACTIVE


class WaitlistEntry(models.Model):
    """Someone waiting for a seat in a full session.

    When a seat frees up, the first waiting entry gets an offer: the seat is
    held for them until `offer_expires_at`; if they don't take it the offer
    lapses and the next in line gets it. See services/waitlist.py for why.
    """

    WAITING = "waiting"
    OFFERED = "offered"
    BOOKED = "booked"
    LAPSED = "lapsed"
    LEFT = "left"
    CLEARED = "cleared"
    STATUS_CHOICES = [
        (WAITING, _("waiting")),
        (OFFERED, _("offered a seat")),
        (BOOKED, _("booked")),
        (LAPSED, _("offer lapsed")),
        (LEFT, _("left the waitlist")),
        (CLEARED, _("cleared")),
    ]
    OPEN_STATES = (WAITING, OFFERED)

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("session")
    )
    # Empty once the person deleted their account (or retention forgot them): the row
    # stays, so the waitlist demand on the insights page still adds up.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="waitlist_entries",
        verbose_name=_("employee"),
    )
    note = models.TextField(_("what you want to ask"), blank=True, max_length=4000)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=WAITING)
    offered_slot = models.ForeignKey(
        Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_open_entry_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} waiting for {self.session}"


class BookingEvent(models.Model):
    """What happened to a booking or waitlist entry, and to whom: its history.

    The e-mails and calendar updates an event causes are outbox rows
    (notifications/outbox.py), written in the same transaction.
    """

    CREATED = "created"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    MOVED = "moved"
    OFFERED = "offered"
    OFFER_LAPSED = "offer_lapsed"
    WAITLIST_CLEARED = "waitlist_cleared"
    # A MOVED event's reason says what changed, so that its e-mail can say so too.
    MOVED_TIME = "time"
    MOVED_PLACE = "place"
    MOVED_TIME_AND_PLACE = "time and place"
    KIND_CHOICES = [
        (CREATED, _("booked")),
        (CANCELLED, _("cancelled")),
        (RESCHEDULED, _("rescheduled")),
        (MOVED, _("session moved")),
        (OFFERED, _("offered a seat")),
        (OFFER_LAPSED, _("offer lapsed")),
        (WAITLIST_CLEARED, _("waitlist cleared")),
    ]

    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, null=True, related_name="events")
    waitlist_entry = models.ForeignKey(
        WaitlistEntry, on_delete=models.CASCADE, null=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
