from django.urls import path

from officehours.live import views

app_name = "live"

urlpatterns = [
    path("live/<int:session_id>/", views.live, name="hour"),
    path("live/<int:session_id>/poll/", views.poll, name="poll"),
    path("live/<int:session_id>/present/", views.present, name="present"),
    path("live/<int:session_id>/ask/", views.ask, name="ask"),
    path("live/<int:session_id>/drafts/", views.faq_drafts, name="drafts"),
    path("live/<int:session_id>/summary/", views.send_summary, name="summary"),
    path("live/<int:session_id>/q/<int:question_id>/me-too/", views.me_too, name="me_too"),
    path("live/<int:session_id>/q/<int:question_id>/approve/", views.approve, name="approve"),
    path(
        "live/<int:session_id>/q/<int:question_id>/answering/",
        views.now_answering,
        name="now_answering",
    ),
    path("live/<int:session_id>/q/<int:question_id>/answer/", views.answer, name="answer"),
    path("live/<int:session_id>/q/<int:question_id>/hide/", views.hide, name="hide"),
    path("l/<int:session_id>", views.short, name="short"),
]
