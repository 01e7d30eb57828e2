from typing import cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from officehours.booking.models import Booking
from officehours.markdown import MAX_INPUT_LINES
from officehours.questions.models import BODY_MAX, TITLE_MAX, Topic
from officehours.text import OneLineField


class QuestionForm(forms.Form):
    # One line: it is the subject of the e-mails about it.
    title = OneLineField(label=_("Your question"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Optional. Markdown works: *italic*, **bold**, lists and links."),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label=_("Choose a topic"),
    )
    booking = forms.ModelChoiceField(
        label=_("Ask it at"),
        queryset=Booking.objects.none(),
        required=False,
        empty_label=_("No booking: answer me in writing"),
    )
    shared = forms.BooleanField(
        label=_("Share with colleagues (they never see who asked)"), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            booking = cast(forms.ModelChoiceField, self.fields["booking"])
            booking.queryset = (
                Booking.objects.filter(
                    user=user, status=Booking.ACTIVE, slot__starts_at__gt=timezone.now()
                )
                .select_related("slot", "session__series")
                .order_by("slot__starts_at")
            )
            # A per-instance label function, as Django documents; the stubs see a method.
            booking.label_from_instance = _booking_label  # type: ignore[assignment]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Write your question."))
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if body.count("\n") >= MAX_INPUT_LINES:
            raise forms.ValidationError(
                _("Please keep it under %(lines)s lines.") % {"lines": MAX_INPUT_LINES}
            )
        return body


def _booking_label(booking: Booking) -> str:
    start = timezone.localtime(booking.slot.starts_at)
    return f"{formats.date_format(start, 'l j F H:i')} · {booking.session.series.title}"


class EditQuestionForm(QuestionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["booking"]
