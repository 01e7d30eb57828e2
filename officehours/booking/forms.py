from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

NOTE_HELP = _("Optional. The comms team sees it before the hour; only they and you can read it.")


class BookForm(forms.Form):
    note = forms.CharField(
        label=_("What do you want to ask?"),
        required=False,
        max_length=4000,
        help_text=NOTE_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class RescheduleForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("New time"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, slot_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["slot"]).choices = list(slot_choices)
