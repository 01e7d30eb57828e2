"""Advisers' question workspace: the queue and one question's page with its actions."""

from django.urls import path

from officehours.questions import adviser_views as views

app_name = "advisers_questions"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("hints/", views.queue_hints, name="hints"),
    path("<int:question_id>/", views.detail, name="detail"),
    path("<int:question_id>/assign/", views.assign, name="assign"),
    path("<int:question_id>/answer/", views.answer, name="answer"),
    path("<int:question_id>/decline/", views.decline, name="decline"),
    path("<int:question_id>/merge/", views.merge, name="merge"),
    path("<int:question_id>/note/", views.note, name="note"),
]
