"""The period an insights page covers: the last 4 weeks, a quarter, a year, or two dates.

Whole local weeks (Monday to Monday in the site's time zone), so a week that spans
a daylight-saving change is still one week and bars compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officehours import limits

PRESETS = {"4w": 4, "quarter": 13, "year": 52}


@dataclass(frozen=True)
class Period:
    first_day: date  # a Monday
    last_day: date  # a Sunday
    zone: ZoneInfo

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=self.zone)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=self.zone)

    def weeks(self) -> list[date]:
        """The Mondays of the weeks in the period (every week, with data or not)."""
        count = (self.last_day - self.first_day).days // 7 + 1
        return [self.first_day + timedelta(weeks=n) for n in range(count)]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("4w", _("Last 4 weeks")),
            ("quarter", _("Last quarter (13 weeks)")),
            ("year", _("Last year (52 weeks)")),
            ("custom", _("Between two dates")),
        ],
    )
    start = forms.DateField(label=_("From"), required=False, validators=[limits.DAY])
    end = forms.DateField(label=_("To"), required=False, validators=[limits.DAY])
    series = forms.IntegerField(label=_("Series"), required=False, validators=[limits.ID])

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Choose both dates."))
            if end < start:
                raise forms.ValidationError(_("The end date comes before the start date."))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(_("Choose at most three years."))
        return data

    def chosen(self, today: date | None = None) -> Period:
        """The chosen period; the last 4 weeks when nothing (valid) was chosen."""
        zone = ZoneInfo(settings.TIME_ZONE)
        today = today or timezone.localdate(timezone=zone)
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("period") == "custom":
            return Period(_monday(data["start"]), _monday(data["end"]) + timedelta(days=6), zone)
        weeks = PRESETS.get(data.get("period") or "4w", 4)
        last_sunday = _monday(today) + timedelta(days=6)
        return Period(_monday(today) - timedelta(weeks=weeks - 1), last_sunday, zone)
