from django.urls import path

from officehours.questions import topic_views

app_name = "advisers_topics"

urlpatterns = [
    path("", topic_views.topics, name="list"),
    path("<int:topic_id>/", topic_views.topics, name="edit"),
]
