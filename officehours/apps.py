from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeHoursConfig(AppConfig):
    name = "officehours"
    verbose_name = _("Question hour")

    def ready(self):
        # Registers the scrape-time collectors and the Celery task signal handlers.
        from officehours import metrics  # noqa: F401
