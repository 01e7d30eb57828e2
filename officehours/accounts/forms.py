import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from officehours.accounts.models import User


class SignupNameForm(forms.Form):
    """Extra field on allauth's sign-up form (allauth calls signup())."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        user.name = self.cleaned_data.get("name", "").strip()
        user.save(update_fields=["name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "time_zone"]
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}

    time_zone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z)
        self.fields["time_zone"].choices = [(z, z.replace("_", " ")) for z in zones]
        self.fields["time_zone"].initial = settings.TIME_ZONE


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say what the token is for, e.g. “report script”."),
    )
