from django.contrib import admin
from django.urls import include, path, re_path

from officehours import views
from officehours.accounts import views as account_views
from officehours.api import api, not_found_view

urlpatterns = [
    # First: an API call need not be tried against every page's pattern.
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", not_found_view),
    path("", views.home, name="home"),
    path("advisers/", views.adviser_home, name="adviser_home"),
    path("advisers/", include("officehours.booking.adviser_urls")),
    path("advisers/questions/", include("officehours.questions.adviser_urls")),
    path("advisers/topics/", include("officehours.questions.topic_urls")),
    path("advisers/faq/", include("faq.adviser_urls")),
    path("advisers/notifications/", include("officehours.notifications.urls")),
    path("advisers/insights/", include("officehours.insights.urls")),
    path("", include("officehours.booking.urls")),
    path("questions/", include("officehours.questions.urls")),
    path("", include("officehours.live.urls")),
    path("calendar/", include("officehours.calendars.urls")),
    path("faq/", include("faq.urls")),
    path("profile/", include("officehours.accounts.urls")),
    path("profile/", include("officehours.privacy.urls")),
    path("language/", account_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("health/", views.health, name="health"),
    path("health/live/", views.health_live, name="health_live"),
    path("health/ready/", views.health_ready, name="health_ready"),
    path("metrics", views.metrics, name="metrics"),
    path("admin/", admin.site.urls),
]

handler403 = "officehours.views.error_403"
handler404 = "officehours.views.error_404"
