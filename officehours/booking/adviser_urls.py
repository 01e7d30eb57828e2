"""Advisers' pages for running the hour: session list, agenda, schedule."""

from django.urls import path

from officehours.booking import adviser_views as views

app_name = "advisers"

urlpatterns = [
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_id>/", views.agenda, name="agenda"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel_view, name="session_cancel"),
    path(
        "sessions/<int:session_id>/reinstate/",
        views.session_reinstate_view,
        name="session_reinstate",
    ),
    path("sessions/<int:session_id>/move/", views.session_move_view, name="session_move"),
    # One booking on the agenda: attendance and internal note; cancelling it.
    path("bookings/<int:booking_id>/", views.booking_edit, name="booking_edit"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel_view, name="booking_cancel"),
    path("series/", views.series_list, name="series_list"),
    path("series/new/", views.series_create_view, name="series_create"),
    path("series/<int:series_id>/edit/", views.series_edit_view, name="series_edit"),
]
