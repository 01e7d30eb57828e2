from django.urls import path

from faq import views

app_name = "faq"

urlpatterns = [
    path("", views.index, name="index"),
    path("suggest/", views.suggest, name="suggest"),
    path("deflect/", views.deflect, name="deflect"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/feedback/", views.feedback, name="feedback"),
]
