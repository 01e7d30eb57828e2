"""Advisers keep the list of topics (named in Swedish and English)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from officehours.permissions import adviser_required
from officehours.questions.models import Topic


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name_sv", "name_en", "slug", "position", "is_active"]


@adviser_required
@require_http_methods(["GET", "POST"])
def topics(request, topic_id: int | None = None):
    topic = get_object_or_404(Topic, pk=topic_id) if topic_id else None
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("The topic “%(name)s” is saved.") % {"name": saved.name})
        return redirect("advisers_topics:list")
    status = 400 if request.method == "POST" else 200
    context = {"topics": Topic.objects.all(), "form": form, "editing": topic}
    return render(request, "advisers/topics.html", context, status=status)
