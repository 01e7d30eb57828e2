from django import forms
from django.utils.translation import gettext_lazy as _

from officehours.questions.models import BODY_MAX, TITLE_MAX
from officehours.text import OneLineField


class LiveAskForm(forms.Form):
    title = OneLineField(label=_("Your question"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared = forms.BooleanField(
        label=_("Show it to colleagues (they never see who asked)"),
        required=False,
        initial=True,
        help_text=_("Unticked, only you and the comms advisers see it."),
    )


class LiveAnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Short answer, as noted during the hour"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The asker and the followers read it; it can become an FAQ draft later."),
    )


class LiveHideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is hidden (only the asker sees this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
