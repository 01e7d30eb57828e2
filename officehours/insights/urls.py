from django.urls import path

from officehours.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.insights, name="page"),
    path("<slug:key>.csv", views.figure_csv, name="csv"),
]
