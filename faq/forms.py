from django import forms
from django.utils.translation import gettext_lazy as _

from faq.models import ANSWER_MAX, COMMENT_MAX, TITLE_MAX, Entry
from faq.query import QUERY_MAX
from officehours import limits
from officehours.questions.models import Topic


class SearchForm(forms.Form):
    """The FAQ page's search box and filters. Bad values fall back to no filter."""

    q = forms.CharField(required=False, max_length=QUERY_MAX * 50, strip=True)
    topic = forms.SlugField(required=False)
    language = forms.ChoiceField(
        required=False, choices=[("", _("Both languages")), ("sv", "Svenska"), ("en", "English")]
    )
    page = forms.IntegerField(required=False, validators=[limits.SEARCH_PAGE])

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "topic": data.get("topic") or "",
            "language": data.get("language") or "",
            "page": data.get("page") or 1,
        }


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=TITLE_MAX)
    answer = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: **bold**, *italics*, lists with “-”, links as [text](https://…)."),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose a topic"),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separate tags with commas, e.g. linkedin, policy."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("sv", "Svenska"), ("en", "English")]
    )

    @classmethod
    def for_entry(cls, entry: Entry, data=None):
        return cls(
            data,
            initial={
                "title": entry.title,
                "answer": entry.answer,
                "topic": entry.topic_id,
                "tags": ", ".join(tag.name for tag in entry.tags.all()),
                "language": entry.language,
            },
        )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )
    comment = forms.CharField(
        label=_("What was missing? (only the comms team sees this)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(forms.Form):
    """The content gaps report's period: the last N days, or from one date to another."""

    days = forms.ChoiceField(
        required=False, choices=[(str(days), str(days)) for days in (7, 30, 90, 365)]
    )
    start = forms.DateField(label=_("From"), required=False, validators=[limits.DAY])
    end = forms.DateField(label=_("To"), required=False, validators=[limits.DAY])

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date comes before the start date."))
        return data
