"""Calendar feeds: public per series, and secret per person (the token is the key)."""

from django.urls import path

from officehours.calendars import views

app_name = "calendars"

urlpatterns = [
    path("series/<int:series_id>.ics", views.series_feed_view, name="series"),
    path("<str:token>/bookings.ics", views.bookings_feed, name="bookings"),
    path("<str:token>/sessions.ics", views.sessions_feed, name="sessions"),
]
