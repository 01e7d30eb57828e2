"""Every figure on the insights page, each from a few aggregate queries.

Counts only: no figure names who booked or asked. Weeks are the local weeks of
the site's time zone (TruncWeek with that zone), so the page, the CSV and the
tests agree on which week an hour belongs to, daylight saving or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from faq.models import Deflection, Entry, EntryViewDay, Feedback, SearchLog
from officehours.booking.models import Booking, Session, Slot, WaitlistEntry
from officehours.insights.period import Period
from officehours.questions.models import Question


@dataclass
class Figure:
    key: str
    title: str
    description: str
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)
    # How the page draws it: "weekly" (grouped bars per week) or "ranking" (horizontal bars).
    chart: str = "weekly"
    # Which columns are drawn (indexes into each row); the rest are in the table only.
    drawn: tuple[int, ...] = (1,)

    @property
    def empty(self) -> bool:
        return not any(any(value for value in row[1:]) for row in self.rows)


def _week_key(value, period: Period) -> date:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value, period.zone).date()
            if timezone.is_aware(value)
            else value.date()
        )
    return value


def _by_week(queryset, field_name: str, period: Period, **aggregates) -> dict:
    rows = (
        queryset.annotate(week=TruncWeek(field_name, tzinfo=period.zone))
        .values("week")
        .annotate(**aggregates)
        .order_by("week")
    )
    return {_week_key(row.pop("week"), period): row for row in rows}


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def bookings_per_week(period: Period, series_id: int | None) -> list[Figure]:
    sessions = Session.objects.filter(starts_at__gte=period.since, starts_at__lt=period.until)
    if series_id:
        sessions = sessions.filter(series_id=series_id)
    capacity = _by_week(
        Slot.objects.filter(session__in=sessions, session__status=Session.SCHEDULED, removed=False),
        "session__starts_at",
        period,
        capacity=Sum("capacity"),
    )
    bookings = _by_week(
        Booking.objects.filter(session__in=sessions),
        "session__starts_at",
        period,
        booked=Count("pk", filter=Q(status=Booking.ACTIVE)),
        cancelled=Count("pk", filter=Q(status=Booking.CANCELLED)),
        no_shows=Count("pk", filter=Q(status=Booking.ACTIVE, attendance=Booking.NO_SHOW)),
    )
    waiting = _by_week(
        WaitlistEntry.objects.filter(session__in=sessions),
        "session__starts_at",
        period,
        waiting=Count("pk"),
    )
    use, churn = [], []
    for week in period.weeks():
        seats = (capacity.get(week) or {}).get("capacity") or 0
        counts = bookings.get(week, {})
        booked = counts.get("booked", 0)
        use.append((week, booked, seats, _percent(booked, seats)))
        churn.append(
            (
                week,
                counts.get("cancelled", 0),
                counts.get("no_shows", 0),
                waiting.get(week, {}).get("waiting", 0),
            )
        )
    return [
        Figure(
            key="bookings",
            title=_("Bookings per week against capacity"),
            description=_(
                "Seats booked (kept bookings) and seats offered, per week of the question hour."
            ),
            columns=[_("Week"), _("Booked"), _("Seats"), _("Utilisation (%)")],
            rows=use,
            drawn=(2, 1),
        ),
        Figure(
            key="cancellations",
            title=_("Cancellations, no-shows and waitlist demand"),
            description=_(
                "Bookings cancelled, booked people who did not come, and people who joined "
                "a waiting list, per week of the question hour."
            ),
            columns=[_("Week"), _("Cancelled"), _("No-shows"), _("Joined a waiting list")],
            rows=churn,
            drawn=(1, 2, 3),
        ),
    ]


def _questions(period: Period, series_id: int | None):
    questions = Question.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
    if series_id:
        questions = questions.filter(booking__session__series_id=series_id)
    return questions


def _most_first(counts: dict) -> list[tuple]:
    """(key, count) by count, largest first; ties keep the order the database gave."""
    return sorted(counts.items(), key=lambda item: -item[1])


def questions_by_topic_and_state(period: Period, series_id: int | None) -> list[Figure]:
    questions = _questions(period, series_id)
    name = "topic__name_en" if translation.get_language() == "en" else "topic__name_sv"
    # One query for both figures: counts per topic and state, in topic-name order.
    topics: dict[str | None, int] = {}
    states: dict[str, int] = {}
    for row in questions.values(name, "state").annotate(n=Count("pk")).order_by(name, "state"):
        topics[row[name]] = topics.get(row[name], 0) + row["n"]
        states[row["state"]] = states.get(row["state"], 0) + row["n"]
    labels = dict(Question.STATE_CHOICES)
    return [
        Figure(
            key="topics",
            title=_("Questions per topic"),
            description=_("Questions asked in the period, by topic."),
            columns=[_("Topic"), _("Questions")],
            rows=[(topic or _("No topic"), n) for topic, n in _most_first(topics)],
            chart="ranking",
        ),
        Figure(
            key="states",
            title=_("Questions per state"),
            description=_("What has become of the questions asked in the period."),
            columns=[_("State"), _("Questions")],
            rows=[(str(labels[state]).capitalize(), states.get(state, 0)) for state in labels],
            chart="ranking",
        ),
    ]


def median_hours_to_answer(period: Period, series_id: int | None) -> float | None:
    """The median time from asked to answered, for questions answered in the period.

    The database orders the durations and hands back the middle one or two (numbered
    in order, and counted, by window functions: one query), so no backend-specific
    percentile function is needed."""
    answered = Question.objects.filter(
        answered_at__gte=period.since, answered_at__lt=period.until, answered_at__isnull=False
    )
    if series_id:
        answered = answered.filter(booking__session__series_id=series_id)
    wait = ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    numbered = answered.annotate(
        wait=wait,
        position=Window(RowNumber(), order_by=[wait.asc(), F("pk").asc()]),
        total=Window(Count("pk")),
    )
    # Positions from 1: the middle of 5 is 3, the middle of 4 is 2 and 3.
    middle = list(
        numbered.filter(position__gte=(F("total") + 1) / 2, position__lte=F("total") / 2 + 1)
        .order_by("position")
        .values_list("wait", flat=True)
    )
    if not middle:
        return None
    seconds = sum(wait.total_seconds() for wait in middle) / len(middle)
    return round(seconds / 3600, 1)


def faq_searches_per_week(period: Period) -> Figure:
    searches = _by_week(
        SearchLog.objects.filter(created_at__gte=period.since, created_at__lt=period.until),
        "created_at",
        period,
        searches=Count("pk"),
        empty=Count("pk", filter=Q(result_count=0)),
        opened=Count("pk", filter=Q(opened=True)),
    )
    rows = []
    for week in period.weeks():
        counts = searches.get(week, {})
        total = counts.get("searches", 0)
        rows.append(
            (
                week,
                total,
                _percent(counts.get("empty", 0), total),
                _percent(counts.get("opened", 0), total),
            )
        )
    return Figure(
        key="searches",
        title=_("FAQ searches per week"),
        description=_(
            "Searches, the share that found nothing, and the share where a result was opened."
        ),
        columns=[_("Week"), _("Searches"), _("Found nothing (%)"), _("Result opened (%)")],
        rows=rows,
        drawn=(1,),
    )


def deflections_per_week(period: Period) -> Figure:
    counted = _by_week(
        Deflection.objects.filter(created_at__gte=period.since, created_at__lt=period.until),
        "created_at",
        period,
        asking=Count("pk", filter=Q(source=Deflection.ASK)),
        booking=Count("pk", filter=Q(source=Deflection.BOOKING)),
    )
    return Figure(
        key="deflections",
        title=_("Answered by the FAQ before being asked"),
        description=_(
            "People who were about to ask (or to book with a question) and marked an FAQ "
            "entry “This answered my question” instead."
        ),
        columns=[_("Week"), _("While asking"), _("While booking")],
        rows=[
            (
                week,
                counted.get(week, {}).get("asking", 0),
                counted.get(week, {}).get("booking", 0),
            )
            for week in period.weeks()
        ],
        drawn=(1, 2),
    )


def faq_entries(period: Period) -> list[Figure]:
    viewed = (
        EntryViewDay.objects.filter(
            day__gte=period.first_day, day__lte=period.last_day, entry__state=Entry.PUBLISHED
        )
        .values_list("entry__title")
        .annotate(views=Sum("views"))
        .order_by("-views", "entry__title")[:10]
    )
    votes = Feedback.objects.filter(updated_at__gte=period.since, updated_at__lt=period.until)
    # One query for both figures: votes per entry and answer, in title order.
    counted: dict[bool, dict[str, int]] = {True: {}, False: {}}
    for row in (
        votes.values("entry__title", "helpful").annotate(n=Count("pk")).order_by("entry__title")
    ):
        counted[row["helpful"]][row["entry__title"]] = row["n"]

    def most_voted(helpful: bool) -> list[tuple]:
        return _most_first(counted[helpful])[:10]

    return [
        Figure(
            key="views",
            title=_("Most read FAQ entries"),
            description=_("Published entries by how often they were read in the period."),
            columns=[_("Entry"), _("Views")],
            rows=list(viewed),
            chart="ranking",
        ),
        Figure(
            key="helpful",
            title=_("Entries most often marked helpful"),
            description=_("“Was this helpful?” answered yes in the period."),
            columns=[_("Entry"), _("Helpful")],
            rows=most_voted(True),
            chart="ranking",
        ),
        Figure(
            key="unhelpful",
            title=_("Entries marked unhelpful"),
            description=_("“Was this helpful?” answered no in the period: worth a rewrite."),
            columns=[_("Entry"), _("Not helpful")],
            rows=most_voted(False),
            chart="ranking",
        ),
    ]


def live_questions_per_session(period: Period, series_id: int | None) -> Figure:
    """The live hour (officehours/live): what was asked during each session, the "me
    too"s those questions got, and how many were answered."""
    sessions = Session.objects.filter(
        starts_at__gte=period.since, starts_at__lt=period.until, status=Session.SCHEDULED
    )
    if series_id:
        sessions = sessions.filter(series_id=series_id)
    counts = (
        sessions.annotate(
            asked=Count("live_questions"),
            votes=Sum("live_questions__me_too_count"),
            answered=Count("live_questions", filter=Q(live_questions__state=Question.ANSWERED)),
        )
        .order_by("starts_at", "id")
        .values_list("starts_at", "asked", "votes", "answered")
    )
    return Figure(
        key="live",
        title=_("Live questions and votes per session"),
        description=_(
            "Questions asked during each session's live hour, the “me too”s they got, "
            "and how many of them were answered."
        ),
        columns=[_("Session"), _("Asked live"), _("“Me too”"), _("Answered")],
        rows=[
            (timezone.localtime(starts_at, period.zone).date(), asked, votes or 0, answered)
            for starts_at, asked, votes, answered in counts
        ],
        drawn=(1, 2),
    )


def all_figures(period: Period, series_id: int | None = None) -> list[Figure]:
    return [
        *bookings_per_week(period, series_id),
        *questions_by_topic_and_state(period, series_id),
        live_questions_per_session(period, series_id),
        faq_searches_per_week(period),
        deflections_per_week(period),
        *faq_entries(period),
    ]
