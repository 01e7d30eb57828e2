"""Employees' pages: book, my bookings, waitlist."""

from django.urls import path

from officehours.booking import views
from officehours.calendars import views as calendar_views

app_name = "booking"

urlpatterns = [
    path("book/", views.book, name="book"),
    path("book/<int:slot_id>/", views.book_slot, name="book_slot"),
    path("book/sessions/<int:session_id>/waitlist/", views.waitlist, name="waitlist"),
    path(
        "book/sessions/<int:session_id>/waitlist/leave/",
        views.waitlist_leave_view,
        name="waitlist_leave",
    ),
    path("bookings/", views.mine, name="mine"),
    path("bookings/<int:booking_id>/booked/", views.booked, name="booked"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:booking_id>/reschedule/", views.reschedule, name="reschedule"),
    path("bookings/<int:booking_id>/invite.ics", calendar_views.booking_invite, name="invite"),
]
