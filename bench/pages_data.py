"""Realistic data for bench/pages.py, bulk inserted with the domain's invariants kept.

A weekly series with 26 weeks past (inserted) and 26 ahead (made by sessions_sync),
four 15-minute slots of `seats` seats: past weeks 85-100 % booked (attendance, a few
internal notes), the next week full with a waitlist, later weeks emptier, about one
booking in eleven cancelled. 1,000 employees (Anna among them, with a few bookings,
sixteen questions, API tokens) and four advisers holding the series. 2,000 questions
in every state with topics, me-toos, the state log, internal notes, answers and what
they told people. 10,000 FAQ entries in Swedish and English (the vocabulary of
faq_search.py) with tags, revisions, votes and a few made from questions; the
spelling list; 4,000 search log rows; the e-mail outbox of all that (sent, pending
reminders, 25 failed). check_invariants() proves that Slot.booked counts the active
bookings, me_too_count the me-toos and helpful_count the helpful votes.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from bench.faq_search import (
    EN_CONTENT,
    EN_FUNCTION,
    EN_HEADS,
    EN_PREFIXES,
    EN_STARTS,
    EN_TAGS,
    EN_TAIL,
    SV_CONTENT,
    SV_FUNCTION,
    SV_HEADS,
    SV_PREFIXES,
    SV_STARTS,
    SV_TAGS,
    SV_TAIL,
    Language,
    _words,
)

SEED = 20261128
SERIES_TITLE = "Frågestund (page budget bench)"
EMPLOYEES, QUESTIONS, ENTRIES, SEARCHES = 1000, 2000, 10_000, 4000
WEEKS_PAST, WEEKS_AHEAD = 26, 26
BATCH = 1000

FIRST = _words("""Anna Bo Cecilia David Eva Fredrik Gunilla Hans Ingrid Johan Karin Lars Maria
Nils Olof Petra Sara Tomas Ulla Viktor Åsa Erik Lena Mats Sofia Jonas Emma Oskar Elin Linnea""")
LAST = _words("""Andersson Berg Carlsson Dahl Ek Forsberg Gustafsson Holm Isaksson Johansson
Karlsson Lind Lundqvist Nilsson Olsson Persson Svensson Söderberg Wikström Åberg Öberg""")
# Searches that find nothing (the content gaps report).
MISSES = _words("xylofonkvartett tiktokk polisy jornalist mastodon bluesky signal ai-bilder")


def data_present() -> bool:
    from faq.models import Entry
    from officehours.booking.models import Series
    from officehours.questions.models import Question

    return (
        Series.objects.filter(title=SERIES_TITLE).exists()
        and Question.objects.count() >= QUESTIONS
        and Entry.objects.count() >= ENTRIES
    )


# Generation -----------------------------------------------------------------------


@dataclass
class World:
    rnd: random.Random
    now: dt.datetime
    sv: Language
    en: Language
    seats: int  # per slot
    employees: list = field(default_factory=list)
    advisers: list = field(default_factory=list)
    anna: object = None
    topics: list = field(default_factory=list)


def bulk(model, rows, **kwargs):
    return model.objects.bulk_create(rows, batch_size=BATCH, **kwargs)


def between(rnd, start, end):
    return start + dt.timedelta(seconds=rnd.uniform(0, max(0.0, (end - start).total_seconds())))


def make_people(w: World) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from officehours.accounts.models import User
    from officehours.accounts.roles import adviser_grant
    from officehours.accounts.tokens import api_token_create

    rnd, since = w.rnd, w.now - dt.timedelta(days=3 * 365)
    people = [("anna@example.se", "Anna Andersson", "sv")]
    people += [
        ("rut@example.se", "Rut Rådgivare", "sv"),
        ("sam@example.se", "Sam Svensson", "en"),
        ("tove@example.se", "Tove Ek", "sv"),
        ("uno@example.se", "Uno Lind", "sv"),
    ]
    for i in range(EMPLOYEES - 1):
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        people.append((f"person{i:04d}@example.se", name, "en" if rnd.random() < 0.2 else "sv"))
    unusable = make_password(None)
    users = bulk(
        User,
        [
            User(
                email=email,
                name=name,
                language=lang,
                password=unusable,
                date_joined=between(rnd, since, w.now),
            )
            for email, name, lang in people
        ],
    )
    bulk(
        EmailAddress,
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
    )
    w.anna, w.advisers = users[0], users[1:5]
    w.employees = [users[0], *users[5:]]
    for adviser in w.advisers:
        adviser_grant(user=adviser)
    for name in ("laptop script", "calendar sync"):
        api_token_create(user=w.anna, name=name)


def make_sessions(w: World):
    """The series (future weeks by sessions_sync) and its past weeks, inserted."""
    from officehours.booking import schedule
    from officehours.booking.models import Session, Slot
    from officehours.booking.services.sessions import series_create, sessions_sync

    today = w.now.date()
    first_week = schedule.monday_of(today) - dt.timedelta(weeks=WEEKS_PAST)
    series = series_create(
        title=SERIES_TITLE,
        weekday=3,
        start_time=dt.time(10, 0),
        duration_minutes=60,
        slot_minutes=15,
        seats_per_slot=w.seats,
        timezone="Europe/Stockholm",
        location="Kommunikationsavdelningen, rum 4.12",
        meeting_url="https://meet.example.se/fragestund",
        weeks_ahead=WEEKS_AHEAD,
        min_notice_minutes=60,
        max_active_bookings=1,
        starts_on=first_week,
        advisers=w.advisers,
        description="Frågor om sociala medier i jobbet: policy, konton, journalister, kriser.",
    )
    sessions_sync(series=series)
    existing = set(series.sessions.values_list("week", flat=True))
    past, week = [], first_week
    while week <= schedule.monday_of(today):
        day = schedule.session_day(week, series.weekday)
        starts = schedule.local_to_utc(day, series.start_time, series.timezone)
        if week not in existing and starts + dt.timedelta(minutes=60) <= w.now:
            holiday = schedule.holiday_name(series.holiday_country, day) or ""
            past.append(
                Session(
                    series=series,
                    week=week,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=60),
                    location=series.location,
                    meeting_url=series.meeting_url,
                    holiday_name=holiday,
                    status=Session.CANCELLED if holiday else Session.SCHEDULED,
                    created_at=starts - dt.timedelta(weeks=WEEKS_AHEAD),
                )
            )
        week += dt.timedelta(weeks=1)
    past = bulk(Session, past)
    bulk(
        Slot,
        [
            Slot(session=s, position=i, starts_at=a, ends_at=b, capacity=w.seats)
            for s in past
            for i, (a, b) in enumerate(schedule.slot_bounds(s.starts_at, 60, 15))
        ],
    )
    return series


def make_bookings(w: World, series) -> list:
    """Past weeks 85-100 % full, the next one full, later ones emptier; some cancelled.
    Returns the active bookings."""
    from officehours.booking.models import Booking, BookingEvent, Session, Slot, WaitlistEntry

    rnd, now = w.rnd, w.now
    sessions = list(series.sessions.filter(status=Session.SCHEDULED).order_by("starts_at"))
    slots = {}
    for slot in Slot.objects.filter(session__series=series, removed=False).order_by("position"):
        slots.setdefault(slot.session_id, []).append(slot)
    rows, upcoming = [], [s for s in sessions if s.starts_at > now]
    for session in sessions:
        ahead = upcoming.index(session) + 1 if session in upcoming else 0
        fill = rnd.uniform(0.85, 1.0) if not ahead else max(0.04, 1.1 - 0.18 * ahead)
        fill = 1.0 if ahead == 1 else min(fill, 1.0)  # next week is full
        seats = [slot for slot in slots[session.pk] for _seat in range(slot.capacity)]
        taken = rnd.sample(seats, int(len(seats) * fill))
        people = rnd.sample(w.employees[1:], len(taken) + len(taken) // 10)
        booked_from = session.starts_at - dt.timedelta(weeks=WEEKS_AHEAD)
        for i, person in enumerate(people):
            slot = taken[i] if i < len(taken) else rnd.choice(slots[session.pk])
            created = between(
                rnd,
                max(booked_from, now - dt.timedelta(days=400)),
                min(now, session.starts_at - dt.timedelta(hours=2)),
            )
            booking = Booking(
                slot=slot,
                session=session,
                user=person,
                created_at=created,
                note=w_title(w, person) if rnd.random() < 0.35 else "",
            )
            if i >= len(taken):  # booked, then cancelled: frees nothing now
                booking.status, booking.cancelled_by = Booking.CANCELLED, person
                booking.cancelled_at = between(rnd, created, min(now, session.starts_at))
                booking.sequence = 1
            elif not ahead:
                booking.attendance = rnd.choices(
                    [Booking.ATTENDED, Booking.NO_SHOW, Booking.UNKNOWN], [85, 10, 5]
                )[0]
                if rnd.random() < 0.05:
                    booking.adviser_note = "Följ upp med HR om " + w.sv.sentence(6).lower()
            rows.append(booking)
    # Anna: a few past weeks and two to come (not the full one). Her bookings go first,
    # so where they overfill a slot it is someone else's that is cancelled below.
    mine = [s for s in sessions if s.starts_at <= now][-12::3] + upcoming[1:5:3]
    rows = [
        Booking(
            slot=slots[s.pk][i % 4],
            session=s,
            user=w.anna,
            note="Hur ska vi svara på kommentarer om vår senaste kampanj?",
            created_at=min(now, s.starts_at) - dt.timedelta(days=3),
            attendance=Booking.ATTENDED if s.starts_at <= now else Booking.UNKNOWN,
        )
        for i, s in enumerate(mine)
    ] + rows
    # Over capacity? Cancel the extra ones, as an adviser would.
    counts = {}
    for booking in rows:
        if booking.is_active:
            counts[booking.slot_id] = counts.get(booking.slot_id, 0) + 1
            if counts[booking.slot_id] > w.seats:
                booking.status, booking.cancelled_at = Booking.CANCELLED, booking.created_at
                counts[booking.slot_id] -= 1
    bookings = bulk(Booking, rows)
    events = [
        BookingEvent(
            kind=BookingEvent.CREATED,
            user_id=b.user_id,
            booking=b,
            actor_id=b.user_id,
            created_at=b.created_at,
        )
        for b in bookings
    ]
    events += [
        BookingEvent(
            kind=BookingEvent.CANCELLED,
            user_id=b.user_id,
            booking=b,
            actor_id=b.user_id,
            created_at=b.cancelled_at,
        )
        for b in bookings
        if not b.is_active
    ]
    events = bulk(BookingEvent, events)
    # The slot counters, from the bookings themselves.
    Slot.objects.filter(session__series=series).update(booked=0)
    for slot_id, n in counts.items():
        Slot.objects.filter(pk=slot_id).update(booked=n)
    # The waitlist of the full week.
    full = upcoming[0]
    inside = {b.user_id for b in bookings if b.session_id == full.pk}
    waiting = [p for p in w.employees[1:] if p.pk not in inside][:12]
    bulk(
        WaitlistEntry,
        [
            WaitlistEntry(
                session=full,
                user=p,
                note=w_title(w, p) if i % 2 else "",
                created_at=now - dt.timedelta(hours=40 - 3 * i),
            )
            for i, p in enumerate(waiting)
        ],
    )
    make_outbox(w, series, bookings, events)
    return [b for b in bookings if b.is_active]


def w_title(w: World, person) -> str:
    return (w.en if person.language == "en" else w.sv).title()


def make_outbox(w: World, series, bookings, events) -> None:
    from officehours.notifications.models import Notification as N

    rnd, now, rows = w.rnd, w.now, []
    slot_start = {b.pk: b.slot.starts_at for b in bookings}
    for e in events:
        kind = N.BOOKING_CONFIRMED if e.kind == "created" else N.BOOKING_CANCELLED
        rows.append(
            N(
                key=f"booking-event:{e.pk}:{e.user_id}",
                kind=kind,
                recipient_id=e.user_id,
                booking_id=e.booking_id,
                due_at=e.created_at,
                status=N.SENT,
                attempts=1,
                sent_at=e.created_at,
                created_at=e.created_at,
            )
        )
    for b in bookings:
        stamp = slot_start[b.pk].strftime("%Y%m%dT%H%M%SZ")
        for offset in series.reminder_offsets:
            due = slot_start[b.pk] - dt.timedelta(minutes=offset)
            status = N.SKIPPED if not b.is_active else N.SENT if due <= now else N.PENDING
            rows.append(
                N(
                    key=f"reminder:{b.uid}:{offset}:{stamp}",
                    kind=N.REMINDER,
                    recipient_id=b.user_id,
                    booking_id=b.pk,
                    offset_minutes=offset,
                    due_at=due,
                    status=status,
                    attempts=int(status == N.SENT),
                    sent_at=due if status == N.SENT else None,
                    created_at=b.created_at,
                )
            )
    for i, b in enumerate(rnd.sample(bookings, 25)):
        rows.append(
            N(
                key=f"booking-event:failed-{i}:{b.user_id}",
                kind=N.BOOKING_CONFIRMED,
                recipient_id=b.user_id,
                booking_id=b.pk,
                due_at=b.created_at,
                status=N.FAILED,
                attempts=8,
                created_at=b.created_at,
                last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
            )
        )
    bulk(N, rows)


def make_questions(w: World, bookings) -> list:
    from officehours.notifications.models import Notification as N
    from officehours.questions.models import (
        InternalNote,
        MeToo,
        Question,
        QuestionEvent,
        StateChange,
        Topic,
    )

    rnd, now = w.rnd, w.now
    w.topics = list(Topic.objects.all())
    noted = [b for b in bookings if b.note]
    rows = []
    for i in range(QUESTIONS):
        booking = noted[i % len(noted)] if i % 10 < 3 and noted else None
        author = booking.user if booking else rnd.choice(w.employees)
        if i % 125 == 0:
            author, booking = w.anna, None  # Anna asked sixteen
        lang = w.en if author.language == "en" else w.sv
        created = booking.created_at if booking else between(rnd, now - dt.timedelta(days=365), now)
        q = Question(
            author=author,
            title=booking.note if booking else lang.title(),
            body=lang.answer()[:600] if rnd.random() < 0.6 else "",
            language=lang.code,
            topic=rnd.choice(w.topics) if rnd.random() < 0.85 else None,
            booking=booking,
            shared=rnd.random() < 0.35,
            created_at=created,
        )
        age = (now - created).days
        if age > 10 or rnd.random() < 0.3:
            q.state = rnd.choices(
                [Question.ANSWERED, Question.DECLINED, Question.WITHDRAWN, Question.SUBMITTED],
                [62, 10, 8, 20],
            )[0]
        if q.state == Question.SUBMITTED and rnd.random() < 0.4:
            q.assigned_to = rnd.choice(w.advisers)
        if q.state == Question.ANSWERED:
            q.answer, q.answered_by = lang.answer(), rnd.choice(w.advisers)
            q.answered_at = between(rnd, created, min(now, created + dt.timedelta(days=14)))
        elif q.state == Question.DECLINED:
            q.decline_reason = "Det här hör till HR; vi har skickat frågan vidare."
        rows.append(q)
    questions = bulk(Question, rows)
    # Merged duplicates point to an open or answered question.
    targets = [q for q in questions if q.state in (Question.SUBMITTED, Question.ANSWERED)]
    merged = [q for q in questions if q.state == Question.SUBMITTED and q.author_id != w.anna.pk]
    for q in rnd.sample(merged, len(questions) // 20):
        into = rnd.choice([t for t in targets[:50] if t is not q])
        q.state, q.merged_into, q.shared = Question.MERGED, into, False
    Question.objects.bulk_update(
        [q for q in questions if q.merged_into_id],
        ["state", "merged_into", "shared"],
        batch_size=BATCH,
    )
    # Me-toos on shared questions still open or answered: a few have many.
    me_toos, counts = [], {}
    for q in questions:
        if not q.shared or q.state not in (Question.SUBMITTED, Question.ANSWERED):
            continue
        n = min(60, int(rnd.paretovariate(1.3)) - 1)
        people = [p for p in rnd.sample(w.employees, n + 1) if p.pk != q.author_id][:n]
        if q.author_id != w.anna.pk and rnd.random() < 0.05:
            people = [*people, w.anna] if w.anna not in people else people
        me_toos += [
            MeToo(question=q, user=p, created_at=between(rnd, q.created_at, now)) for p in people
        ]
        counts[q.pk] = q.me_too_count = len(people)
    bulk(MeToo, me_toos)
    Question.objects.bulk_update(
        [q for q in questions if q.pk in counts], ["me_too_count"], batch_size=BATCH
    )
    # A busy open question for the adviser's page: a booking, followers, notes.
    star = next(q for q in questions if q.state == Question.SUBMITTED and q.booking_id)
    star.shared = True
    followers = [p for p in w.employees[1:200] if p.pk != star.author_id][:40]
    bulk(MeToo, [MeToo(question=star, user=p) for p in followers], ignore_conflicts=True)
    star.me_too_count = MeToo.objects.filter(question=star).count()
    star.save(update_fields=["shared", "me_too_count"])
    # The log, notes, and what the answers told their askers and followers.
    log, notes, events, mail = [], [], [], []
    followers_of = {}
    for m in me_toos:
        followers_of.setdefault(m.question_id, []).append(m.user_id)
    for q in questions:
        log.append(
            StateChange(
                question=q,
                actor_id=q.author_id,
                from_state="",
                to_state=Question.SUBMITTED,
                created_at=q.created_at,
            )
        )
        at = q.answered_at or between(rnd, q.created_at, now)
        if q.state != Question.SUBMITTED:
            actor = q.author_id if q.state == Question.WITHDRAWN else rnd.choice(w.advisers).pk
            log.append(
                StateChange(
                    question=q,
                    actor_id=actor,
                    from_state=Question.SUBMITTED,
                    to_state=q.state,
                    created_at=at,
                )
            )
        if rnd.random() < 0.15 or q is star:
            for k in range(3 if q is star else rnd.randint(1, 3)):
                notes.append(
                    InternalNote(
                        question=q,
                        author=w.advisers[k % 4],
                        body=w.sv.sentence(rnd.randint(8, 30)),
                        created_at=between(rnd, q.created_at, now),
                    )
                )
        if q.state in (Question.ANSWERED, Question.DECLINED):
            for user_id in {q.author_id, *followers_of.get(q.pk, [])}:
                events.append(
                    QuestionEvent(kind=q.state, question=q, user_id=user_id, created_at=at)
                )
                mail.append(
                    N(
                        key=f"question:{q.state}:{q.pk}:{user_id}",
                        kind=f"question_{q.state}",
                        recipient_id=user_id,
                        question=q,
                        due_at=at,
                        status=N.SENT,
                        attempts=1,
                        sent_at=at,
                        created_at=at,
                    )
                )
    bulk(StateChange, log)
    bulk(InternalNote, notes)
    bulk(QuestionEvent, events)
    bulk(N, mail)
    return questions


def make_faq(w: World, questions) -> None:
    from django.utils.text import slugify

    from faq.models import Entry, Feedback, Revision, SearchLog, Tag
    from faq.services import index_words
    from officehours.questions.models import Question

    rnd, now = w.rnd, w.now
    start = now - dt.timedelta(days=3 * 365)
    rare = [
        (p + h).lower() for lang in (w.sv, w.en) for p in lang.words[:60:3] for h in ("", " policy")
    ]
    tags = bulk(Tag, [Tag(name=n) for n in dict.fromkeys(SV_TAGS + EN_TAGS + rare)])
    tag_by_name = {t.name: t for t in tags}
    rows, chosen_tags, seen = [], [], set()
    for i in range(ENTRIES):
        lang = w.sv if rnd.random() < 0.6 else w.en
        title = lang.title()
        while (title.lower(), lang.code) in seen:
            title = f"{title[:-1]} ({rnd.randint(2, 999)})?"
        seen.add((title.lower(), lang.code))
        names = lang.pick_tags() + ([rnd.choice(rare)] if rnd.random() < 0.3 else [])
        names = list(dict.fromkeys(names))
        roll = rnd.random()
        state = "published" if roll < 0.90 else "draft" if roll < 0.97 else "archived"
        created = between(rnd, start, now - dt.timedelta(days=1))
        ascii_title = title.translate(str.maketrans("åäöÅÄÖéÉüÜ", "aaoAAOeEuU"))
        rows.append(
            Entry(
                title=title,
                slug=f"{slugify(ascii_title)[:60]}-{i}",
                answer=lang.answer(),
                topic=rnd.choice(w.topics) if rnd.random() < 0.95 else None,
                tags_text=" ".join(names),
                language=lang.code,
                state=state,
                created_at=created,
                updated_at=between(rnd, created, now),
                published_at=None if state == "draft" else created,
                view_count=rnd.randint(0, 5000),
            )
        )
        chosen_tags.append(names)
    # Votes first, so the counters go in with the rows.
    votes = []
    for index in rnd.choices(range(ENTRIES), weights=[1 / (r + 1) for r in range(ENTRIES)], k=6000):
        votes.append(index)
    voters = {}
    for index in votes:
        voters.setdefault(index, set()).add(rnd.randrange(len(w.employees)))
    for index, people in voters.items():
        voters[index] = [(p, rnd.random() < 0.75) for p in people]
        rows[index].helpful_count = sum(helpful for _p, helpful in voters[index])
        rows[index].unhelpful_count = len(people) - rows[index].helpful_count
    entries = bulk(Entry, rows)
    through = Entry.tags.through
    bulk(
        through,
        [
            through(entry_id=e.pk, tag_id=tag_by_name[n].pk)
            for e, names in zip(entries, chosen_tags, strict=True)
            for n in names
        ],
    )
    feedback = []
    for index, people in voters.items():
        entry = entries[index]
        for p, helpful in people:
            at = between(rnd, entry.created_at, now)
            feedback.append(
                Feedback(
                    entry=entry,
                    user=w.employees[p],
                    helpful=helpful,
                    comment="" if rnd.random() < 0.85 else w.sv.sentence(12),
                    created_at=at,
                    updated_at=at,
                )
            )
    bulk(Feedback, feedback)
    # Revision 1 of every entry; a few edited many times (the last one is the text now).
    revisions = []
    for e, names in zip(entries, chosen_tags, strict=True):
        edits = rnd.choice([0] * 8 + [1, 2, 5]) if e.pk != entries[0].pk else 9
        for number in range(1, edits + 2):
            last = number == edits + 1
            lang = w.sv if e.language == "sv" else w.en
            revisions.append(
                Revision(
                    entry=e,
                    number=number,
                    title=e.title,
                    topic_id=e.topic_id,
                    tags=names,
                    answer=e.answer if last else lang.answer(),
                    language=e.language,
                    state=e.state if last else "draft",
                    author=rnd.choice(w.advisers),
                    summary="Skapad" if number == 1 else "Uppdaterat svaret",
                    created_at=e.created_at + dt.timedelta(days=number - 1),
                )
            )
    bulk(Revision, revisions)
    # FAQ entries made from answered questions.
    answered = [q for q in questions if q.state == Question.ANSWERED][:150]
    source = Entry.source_questions.through
    bulk(
        source,
        [source(entry_id=entries[i * 7].pk, question_id=q.pk) for i, q in enumerate(answered)],
    )
    Question.objects.filter(pk__in=[q.pk for q in answered]).update(published=True)
    for first in range(0, ENTRIES, BATCH):
        index_words(
            t for e in entries[first : first + BATCH] for t in (e.title, e.tags_text, e.answer)
        )
    # What people searched for over four months.
    common = [*w.sv.words[:80], *w.en.words[:40]]
    logs = []
    for _ in range(SEARCHES):
        missed = rnd.random() < 0.12
        query = rnd.choice(MISSES) if missed else " ".join(rnd.sample(common, rnd.randint(1, 2)))
        logs.append(
            SearchLog(
                query=query,
                language="en" if rnd.random() < 0.2 else "sv",
                result_count=0 if missed else rnd.randint(1, 500),
                opened=not missed and rnd.random() < 0.45,
                created_at=between(rnd, now - dt.timedelta(days=120), now),
            )
        )
    bulk(SearchLog, logs)


def generate(seats: int) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from officehours.questions.topics import topics_seed

    started = time.perf_counter()
    rnd = random.Random(SEED)
    sv = Language(
        "sv", SV_FUNCTION, SV_CONTENT, SV_TAIL, SV_PREFIXES, SV_HEADS, SV_STARTS, SV_TAGS, rnd
    )
    en = Language(
        "en", EN_FUNCTION, EN_CONTENT, EN_TAIL, EN_PREFIXES, EN_HEADS, EN_STARTS, EN_TAGS, rnd
    )
    w = World(rnd=rnd, now=timezone.now(), sv=sv, en=en, seats=seats)
    with transaction.atomic():
        topics_seed()
        make_people(w)
        step("people", started)
        series = make_sessions(w)
        step("sessions", started)
        bookings = make_bookings(w, series)
        step("bookings and outbox", started)
        questions = make_questions(w, bookings)
        step("questions", started)
        make_faq(w, questions)
        step("FAQ and search log", started)
    check_invariants()
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in steady state: statistics, and the visibility
        # map that lets PostgreSQL count from an index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


def step(what: str, started: float) -> None:
    print(f"  {what}: {time.perf_counter() - started:.1f} s", flush=True)


def check_invariants() -> None:
    from django.db.models import Count, F, Q

    from faq.models import Entry
    from officehours.booking.models import Booking, Slot
    from officehours.questions.models import Question

    active = Count("bookings", filter=Q(bookings__status=Booking.ACTIVE))
    wrong = Slot.objects.annotate(n=active).exclude(booked=F("n")).count()
    wrong_q = Question.objects.annotate(n=Count("me_toos")).exclude(me_too_count=F("n"))
    helpful = Count("feedback", filter=Q(feedback__helpful=True))
    wrong_e = Entry.objects.annotate(n=helpful).exclude(helpful_count=F("n"))
    if wrong or wrong_q.exists() or wrong_e.exists():
        raise SystemExit(
            f"invariants broken: {wrong} slots, {wrong_q.count()} questions, "
            f"{wrong_e.count()} entries"
        )
