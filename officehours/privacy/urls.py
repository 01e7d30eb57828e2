from django.urls import path

from officehours.privacy import views

app_name = "privacy"

urlpatterns = [
    path("data.json", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
