from django.urls import path

from officehours.questions import views

app_name = "questions"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("ask/", views.ask, name="ask"),
    path("shared/", views.shared, name="shared"),
    path("<int:question_id>/", views.detail, name="detail"),
    path("<int:question_id>/edit/", views.edit, name="edit"),
    path("<int:question_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:question_id>/me-too/", views.me_too, name="me_too"),
    path("<int:question_id>/bring/", views.bring, name="bring"),
]
