import functools
import zoneinfo
from typing import cast

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from officehours.accounts.models import User
from officehours.permissions import is_adviser
from officehours.text import OneLineField


class SignupNameForm(forms.Form):
    """Extra field on allauth's sign-up form (allauth calls signup())."""

    name = OneLineField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        user.name = self.cleaned_data.get("name", "").strip()
        user.save(update_fields=["name"])


# Offered first, after the organisation's own zone: the Nordic neighbours and the usual
# references. The rest of the ~600 follow in their own group.
COMMON_TIME_ZONES = (
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/Oslo",
    "Europe/Copenhagen",
    "Europe/Tallinn",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
)


def time_zone_choices() -> list[tuple[str | Promise, list[tuple[str, str]]]]:
    """Two groups: the organisation's zone (TIME_ZONE) and the common ones, then the rest."""
    return _time_zone_groups(settings.TIME_ZONE)


@functools.cache
def _time_zone_groups(own: str) -> list[tuple[str | Promise, list[tuple[str, str]]]]:
    # available_timezones() walks the tz database on disk: once per process is enough.
    zones = zoneinfo.available_timezones() - {"localtime", "Factory"}
    common = [zone for zone in dict.fromkeys((own, *COMMON_TIME_ZONES)) if zone in zones]
    rest = sorted(zones - set(common))
    return [
        (_("Common time zones"), [(z, z.replace("_", " ")) for z in common]),
        (_("All other time zones"), [(z, z.replace("_", " ")) for z in rest]),
    ]


class FastSelect(forms.Select):
    """A select that builds its options (and option groups) in Python.

    Django renders each option through a template; for ~600 time zones that
    alone costs about 90 ms a page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        value = "" if value is None else str(value)

        def options(choices):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (choice, mark_safe(" selected") if str(choice) == value else "", label)
                    for choice, label in choices
                ),
            )

        html = format_html_join(
            "",
            "{}",
            (
                (
                    format_html('<optgroup label="{}">{}</optgroup>', key, options(value))
                    if isinstance(value, list | tuple)
                    else options([(key, value)]),
                )
                for key, value in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), html)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "time_zone", "email_reminders", "email_digests"]
        field_classes = {"name": OneLineField}  # names go on invitations and digests
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}
        help_texts = {
            "email_reminders": _(
                "A day and an hour before each booking, unless the hour says otherwise."
            ),
            "email_digests": _("Who is coming and what they ask, for the sessions you hold."),
        }

    time_zone = forms.ChoiceField(label=_("Time zone"), widget=FastSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = time_zone_choices()
        self.fields["time_zone"].initial = settings.TIME_ZONE
        # Confirmations and cancellations always go; these two are optional.
        if not is_adviser(self.instance):
            del self.fields["email_digests"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say what the token is for, e.g. “report script”."),
    )
