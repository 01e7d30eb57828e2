from django.urls import path

from officehours.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("calendar/new-addresses/", views.calendar_regenerate, name="calendar_regenerate"),
]
