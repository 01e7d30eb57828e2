from django.contrib import admin

from officehours.booking.models import Booking, Series, Session, Slot, WaitlistEntry
from officehours.booking.services.sessions import sessions_sync


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "weekday",
        "start_time",
        "duration_minutes",
        "slot_minutes",
        "is_active",
    ]
    list_filter = ["is_active", "weekday", "language"]
    filter_horizontal = ["advisers"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Sessions follow the series; the same service the advisers' pages use.
        sessions_sync(series=obj)


_SLOT_FIELDS = ("position", "starts_at", "ends_at", "capacity", "booked", "held", "removed")


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    fields = _SLOT_FIELDS
    readonly_fields = _SLOT_FIELDS
    can_delete = False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["series", "starts_at", "status", "holiday_name", "location"]
    list_filter = ["status", "series"]
    date_hierarchy = "starts_at"
    readonly_fields = ["series", "week", "starts_at", "ends_at", "status", "holiday_name"]
    inlines = [SlotInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["user", "slot", "status", "attendance", "created_at"]
    list_filter = ["status", "attendance"]
    list_select_related = ["user", "slot__session__series"]
    search_fields = ["user__email", "user__name", "note"]
    readonly_fields = ["slot", "session", "user", "status", "uid", "sequence", "created_at"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "offer_expires_at", "created_at"]
    list_filter = ["status"]
    list_select_related = ["user", "session__series"]
    readonly_fields = ["session", "user", "status", "offered_slot", "offer_expires_at", "booking"]
