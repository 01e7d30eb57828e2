"""Questions sent ahead of the hour (or instead of it), and what advisers do with them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from officehours import model_defaults

TITLE_MAX = 200
BODY_MAX = 10_000


class Topic(models.Model):
    """What a question is about; advisers keep the list. Named in both languages."""

    slug = models.SlugField(unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_sv


class Question(models.Model):
    SUBMITTED = "submitted"
    ANSWERED = "answered"
    DECLINED = "declined"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"
    STATE_CHOICES = [
        (SUBMITTED, _("submitted")),
        (ANSWERED, _("answered")),
        (DECLINED, _("declined")),
        (MERGED, _("merged")),
        (WITHDRAWN, _("withdrawn")),
    ]
    OPEN_STATES = (SUBMITTED,)
    CLOSED_STATES = (ANSWERED, DECLINED, MERGED, WITHDRAWN)

    LIVE_PENDING = "pending"
    LIVE_APPROVED = "approved"
    LIVE_HIDDEN = "hidden"
    LIVE_STATUS_CHOICES = [
        (LIVE_PENDING, _("waiting for approval")),
        (LIVE_APPROVED, _("approved")),
        (LIVE_HIDDEN, _("hidden")),
    ]
    # Colleagues may see a shared question with one of these (blank: asked ahead).
    LIVE_SEEN = ("", LIVE_APPROVED)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="questions",
        verbose_name=_("asked by"),
    )
    title = models.CharField(_("question"), max_length=TITLE_MAX)
    body = models.TextField(_("details"), blank=True, max_length=BODY_MAX)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("topic")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=model_defaults.language_code,
    )
    booking = models.ForeignKey(
        "booking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("booking"),
    )
    # Where the question was to be taken up until that booking was cancelled: it is
    # open and unscheduled now, and can be brought to another booking.
    unscheduled_from = models.ForeignKey(
        "booking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unscheduled_questions",
    )
    waitlist_entry = models.ForeignKey(
        "booking.WaitlistEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    shared = models.BooleanField(
        _("shared with colleagues"),
        default=False,
        help_text=_("Colleagues can see the question (never who asked) and say “me too”."),
    )
    # The comms adviser who shared it when merging others into it (question_merge): the
    # author did not, so advisers can see whose choice it was. Empty if the author shared.
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=STATE_CHOICES, default=SUBMITTED)
    # Asked during a session's live hour (officehours/live), and whether colleagues see it
    # yet: a live question may wait for an adviser's approval, and an adviser may hide
    # one, with a reason only its author sees. Blank: not moderated (asked ahead).
    live_session = models.ForeignKey(
        "booking.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_questions",
        verbose_name=_("asked live in"),
    )
    live_status = models.CharField(max_length=10, choices=LIVE_STATUS_CHOICES, blank=True)
    hidden_reason = models.TextField(_("why it is hidden"), blank=True, max_length=2000)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_questions",
        verbose_name=_("assigned to"),
    )
    answer = models.TextField(_("answer"), blank=True, max_length=BODY_MAX)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    me_too_count = models.PositiveIntegerField(default=0)
    published = models.BooleanField(_("published in the FAQ"), default=False)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="question_state_created"),
            models.Index(fields=["author", "created_at"], name="question_author_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="merged") | Q(merged_into__isnull=False),
                name="question_merged_points_somewhere",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeToo(models.Model):
    """A colleague has the same question (one per person, can be withdrawn)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="me_toos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="me_toos"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="metoo_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} + {self.question_id}"


class StateChange(models.Model):
    """Who moved a question from which state to which, and when (advisers see the log)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="state_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"


class InternalNote(models.Model):
    """What advisers write to each other about a question; the author never sees it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]


class QuestionEvent(models.Model):
    """The author or a follower was told that a question was answered, declined or
    published: once per person and kind. The e-mail is an outbox row
    (notifications/outbox.py)."""

    ANSWERED = "answered"
    DECLINED = "declined"
    PUBLISHED = "published"
    KIND_CHOICES = [
        (ANSWERED, _("answered")),
        (DECLINED, _("declined")),
        (PUBLISHED, _("published")),
    ]

    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "question", "user"], name="questionevent_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"
