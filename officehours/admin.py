from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from officehours.models import WorkerHeartbeat

admin.site.site_header = _("Frågestund administration")
admin.site.site_title = _("Frågestund")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen"]
