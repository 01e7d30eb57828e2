"""Forms of the advisers' pages. They check input; the services in services/ do the work."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import holidays
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officehours import limits
from officehours.accounts.forms import FastSelect, time_zone_choices
from officehours.booking import schedule
from officehours.booking.agenda import adviser_users
from officehours.booking.models import Booking, Series, Session
from officehours.text import OneLineField

NOTE_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000
MIN_SLOT_MINUTES = limits.SLOT_MINUTES.low


class AttendanceNoteForm(forms.Form):
    """One booking's attendance and the advisers' internal note, in one form.

    Each field carries the value the adviser was shown (show_hidden_initial), so
    `changed_data` is what this adviser changed: saving attendance leaves a note that a
    colleague wrote meanwhile as it is, and the other way round.
    """

    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=Booking.ATTENDANCE_CHOICES, show_hidden_initial=True
    )
    adviser_note = forms.CharField(
        label=_("Internal note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        show_hidden_initial=True,
    )


class ReasonForm(forms.Form):
    """Why a booking or a whole session is cancelled: the people concerned are told."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason: the people who booked are told.")},
    )


class SessionMoveForm(forms.Form):
    """One week's date, start time (in the series' time zone) and place."""

    # The API's limit (officehours/limits.py): a year 9999 here once broke the feeds.
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[limits.DAY],
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    meeting_url = forms.URLField(
        label=_("Online meeting link"), max_length=200, required=False, assume_scheme="https"
    )

    def __init__(self, *args, session: Session, now: datetime | None = None, **kwargs):
        self.session = session
        self.now = now or timezone.now()
        self.zone_name = session.series.timezone
        local = timezone.localtime(session.starts_at, schedule.ZoneInfo(self.zone_name))
        kwargs.setdefault(
            "initial",
            {
                "date": local.date(),
                "start_time": local.time().replace(second=0, microsecond=0),
                "location": session.location,
                "meeting_url": session.meeting_url,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["start_time"].help_text = _("Local time in %(zone)s.") % {
            "zone": self.zone_name
        }

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        day, at = cleaned.get("date"), cleaned.get("start_time")
        if day is not None and at is not None:
            starts_at = schedule.local_to_utc(day, at, self.zone_name)
            cleaned["starts_at"] = starts_at
            if starts_at != self.session.starts_at and starts_at <= self.now:
                self.add_error("date", _("The new time must be in the future."))
        return cleaned

    def changes(self) -> dict:
        """Only what the adviser changed, as keyword arguments for session_move."""
        changes = {}
        if self.cleaned_data["starts_at"] != self.session.starts_at:
            changes["starts_at"] = self.cleaned_data["starts_at"]
        if self.cleaned_data["location"] != self.session.location:
            changes["location"] = self.cleaned_data["location"]
        if self.cleaned_data["meeting_url"] != self.session.meeting_url:
            changes["meeting_url"] = self.cleaned_data["meeting_url"]
        return changes


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class SeriesForm(forms.ModelForm):
    """The weekly schedule. Saved through series_create / series_update, not form.save()."""

    timezone = forms.ChoiceField(label=_("Time zone"), widget=FastSelect)
    advisers = forms.ModelMultipleChoiceField(
        label=_("Advisers"),
        queryset=adviser_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reminder_offsets = forms.CharField(
        label=_("Reminders (hours before each slot)"),
        required=False,
        max_length=100,
        help_text=_("Comma-separated, e.g. 24, 1 (a day and an hour before). Empty: none."),
    )
    holiday_country = forms.CharField(
        label=_("Public holidays of"),
        min_length=2,
        max_length=2,
        help_text=_(
            "Two-letter country code, e.g. SE for Sweden. "
            "Weeks whose day is a public holiday there are skipped."
        ),
        widget=forms.TextInput(attrs={"size": 2, "autocapitalize": "characters"}),
    )

    class Meta:
        model = Series
        fields = [
            "title",
            "description",
            "language",
            "weekday",
            "start_time",
            "duration_minutes",
            "slot_minutes",
            "seats_per_slot",
            "timezone",
            "location",
            "meeting_url",
            "advisers",
            "weeks_ahead",
            "min_notice_minutes",
            "cancel_cutoff_minutes",
            "max_active_bookings",
            "reminder_offsets",
            "holiday_country",
            "starts_on",
            "is_active",
            "live_approval",
        ]
        formfield_callback = _formfield
        field_classes = {"title": OneLineField}  # the subject of the e-mails about it
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    # Field name: its limit, the same as the API's (officehours/limits.py).
    LIMITS: dict[str, limits.Bounds] = {
        "duration_minutes": limits.DURATION_MINUTES,
        "slot_minutes": limits.SLOT_MINUTES,
        "seats_per_slot": limits.SEATS_PER_SLOT,
        "weeks_ahead": limits.WEEKS_AHEAD,
        "min_notice_minutes": limits.NOTICE_MINUTES,
        "cancel_cutoff_minutes": limits.NOTICE_MINUTES,
        "max_active_bookings": limits.MAX_ACTIVE_BOOKINGS,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["timezone"]).choices = time_zone_choices()
        offsets = self.initial.get("reminder_offsets", self.instance.reminder_offsets)
        if isinstance(offsets, list):
            self.initial["reminder_offsets"] = ", ".join(f"{minutes / 60:g}" for minutes in offsets)
        cast(forms.ModelMultipleChoiceField, self.fields["advisers"]).queryset = adviser_users()
        for name, limit in self.LIMITS.items():
            field = self.fields[name]
            field.validators.append(limit)
            field.widget.attrs.update(limit.widget_attrs())
        self.fields["starts_on"].validators.append(limits.DAY)

    def clean_reminder_offsets(self) -> list[int]:
        """Hours as typed ("24, 1", "0.5") → minutes, largest first."""
        text = self.cleaned_data["reminder_offsets"] or ""
        minutes = set()
        for part in text.replace(";", ",").split(","):
            part = part.strip().replace(",", ".")
            if not part:
                continue
            try:
                hours = float(part)
            except ValueError:
                raise forms.ValidationError(
                    _("Write hours as numbers, e.g. 24, 1."), code="invalid"
                ) from None
            if not 0 < hours <= 14 * 24:
                raise forms.ValidationError(
                    _("Each reminder must be between a minute and two weeks before."),
                    code="out_of_range",
                )
            minutes.add(max(1, round(hours * 60)))
        offsets = sorted(minutes, reverse=True)
        limits.REMINDERS(offsets)  # the API's limit, on the minutes it would be sent
        return offsets

    def clean_holiday_country(self) -> str:
        code = self.cleaned_data["holiday_country"].strip().upper()
        if code not in holidays.list_supported_countries():
            raise forms.ValidationError(
                _("There is no public holiday calendar for “%(code)s”."),
                code="unknown_country",
                params={"code": code},
            )
        return code

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        duration, slot = cleaned.get("duration_minutes"), cleaned.get("slot_minutes")
        if duration and slot and duration % slot:
            self.add_error(
                "duration_minutes",
                forms.ValidationError(
                    _(
                        "The duration must be a whole number of slots: "
                        "a multiple of %(slot)s minutes."
                    ),
                    code="not_whole_slots",
                    params={"slot": slot},
                ),
            )
        return cleaned

    def service_fields(self) -> tuple[dict, list]:
        """(fields, advisers) for series_create / series_update."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        advisers = list(fields.pop("advisers"))
        return fields, advisers
