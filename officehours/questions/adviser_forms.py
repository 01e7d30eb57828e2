"""Forms of the advisers' question workspace. They check input; services.py does the work."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from officehours import limits
from officehours.markdown import MAX_INPUT_LENGTH
from officehours.questions import queue
from officehours.questions.models import BODY_MAX, Question

if TYPE_CHECKING:
    from officehours.accounts.models import User

REASON_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = min(BODY_MAX, MAX_INPUT_LENGTH)


class _ChoicesFromOneQuery(forms.models.ModelChoiceIterator):
    """The stock iterator queries at every pass, and a required select passes twice:
    for its options, and for the first one (whether to add `required`). This one
    goes through the field's queryset, which keeps its rows once read."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class AdviserChoiceField(forms.ModelChoiceField):
    iterator = _ChoicesFromOneQuery

    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.email


class QueueFilterForm(forms.Form):
    """The queue's GET filters. Invalid values are ignored (the default applies)."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[*Question.STATE_CHOICES, (queue.ALL_STATES, _("all states"))],
    )
    session = forms.IntegerField(label=_("Session number"), required=False, validators=[limits.ID])
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("all languages")), *settings.LANGUAGES],
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[
            ("", _("anyone or nobody")),
            (queue.ASSIGNED_UNASSIGNED, _("nobody")),
            (queue.ASSIGNED_MINE, _("me")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (queue.SORT_AGE, _("oldest first")),
            (queue.SORT_NEWEST, _("newest first")),
            (queue.SORT_ME_TOO, _("most “me too” first")),
            (queue.SORT_SESSION, _("session time")),
        ],
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", _("all topics"))] + [
            (topic.slug, topic.name) for topic in topics
        ]

    def filters(self) -> queue.QueueFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return queue.QueueFilters(
            topic=data.get("topic") or "",
            state=data.get("state") or queue.DEFAULT_STATE,
            session=data.get("session"),
            language=data.get("language") or "",
            assigned=data.get("assigned") or "",
            sort=data.get("sort") or queue.DEFAULT_SORT,
        )


class QuestionIdsField(forms.ModelMultipleChoiceField):
    """Question ids from checkboxes; anything that is not a sane id is refused, not looked up."""

    def _check_values(self, value):
        for item in value:
            text = str(item)
            if limits.id_from(text) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:30]},
                )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs


class BulkActionForm(forms.Form):
    ASSIGN_ME = "assign_me"
    ASSIGN = "assign"
    DECLINE = "decline"

    ids = QuestionIdsField(
        label=_("Questions"),
        queryset=Question.objects.none(),
        error_messages={"required": _("Choose at least one question.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (ASSIGN_ME, _("Assign to me")),
            (ASSIGN, _("Assign to an adviser")),
            (DECLINE, _("Decline")),
        ],
    )
    assignee = AdviserChoiceField(
        label=_("Adviser"),
        queryset=queue.advisers(),
        required=False,
        empty_label=_("Choose an adviser"),
    )
    reason = forms.CharField(
        label=_("Reason for declining, shown to the asker"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(QuestionIdsField, self.fields["ids"]).queryset = Question.objects.all()
        cast(AdviserChoiceField, self.fields["assignee"]).queryset = queue.advisers()

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        action = data.get("action")
        if action == self.ASSIGN and not data.get("assignee"):
            self.add_error("assignee", _("Choose the adviser to assign."))
        if action == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: the asker is told."))
        return data


class AssignForm(forms.Form):
    assignee = AdviserChoiceField(
        label=_("Adviser"),
        queryset=queue.advisers(),
        empty_label=None,
        error_messages={"required": _("Choose the adviser to assign.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(AdviserChoiceField, self.fields["assignee"]).queryset = queue.advisers()


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Answer (Markdown)"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the answer first.")},
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write the answer first."))
        return body


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the asker"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason: the asker is told.")},
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Number of the question to keep"),
        validators=[limits.ID],  # the API's into_id
        error_messages={"required": _("Give the number of the question to keep.")},
    )
    share_kept = forms.BooleanField(
        label=_("Share the kept question with colleagues (without its asker's name)"),
        help_text=_(
            "Needed if it is private and someone else would move over: they would read it."
        ),
        required=False,
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note (only advisers see it)"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note first.")},
    )
