"""The outbox: every e-mail the site owes someone, written in the same transaction
as the change that causes it, and sent after commit (see outbox.py, sending.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_CHANGED = "booking_changed"
    BOOKING_CANCELLED = "booking_cancelled"
    WAITLIST_OFFER = "waitlist_offer"
    WAITLIST_CLEARED = "waitlist_cleared"
    REMINDER = "reminder"
    DIGEST = "digest"
    QUESTION_ANSWERED = "question_answered"
    QUESTION_DECLINED = "question_declined"
    QUESTION_PUBLISHED = "question_published"
    LIVE_SUMMARY = "live_summary"
    KIND_CHOICES = [
        (BOOKING_CONFIRMED, _("booking confirmed")),
        (BOOKING_CHANGED, _("booking changed")),
        (BOOKING_CANCELLED, _("booking cancelled")),
        (WAITLIST_OFFER, _("waitlist offer")),
        (WAITLIST_CLEARED, _("waitlist cleared")),
        (REMINDER, _("reminder")),
        (DIGEST, _("advisers' digest")),
        (QUESTION_ANSWERED, _("question answered")),
        (QUESTION_DECLINED, _("question declined")),
        (QUESTION_PUBLISHED, _("question published in the FAQ")),
        (LIVE_SUMMARY, _("after the live hour")),
    ]
    # The ones a person may switch off on their profile; the rest always go.
    OPTIONAL = {REMINDER: "email_reminders", DIGEST: "email_digests"}

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    STATUS_CHOICES = [
        (PENDING, _("waiting")),
        (SENDING, _("sending")),
        (SENT, _("sent")),
        (FAILED, _("failed")),
        (SKIPPED, _("not needed")),
    ]

    # One row per event and recipient: a second attempt to record it is a no-op.
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=KIND_CHOICES)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    booking = models.ForeignKey(
        "booking.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # notification_booking below leads with it
    )
    session = models.ForeignKey(
        "booking.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    waitlist_entry = models.ForeignKey(
        "booking.WaitlistEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        "questions.Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    # Reminders: which offset (minutes before the slot) and for which start time.
    offset_minutes = models.PositiveIntegerField(null=True, blank=True)
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="notification_due"),
            models.Index(fields=["booking", "kind", "status"], name="notification_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
