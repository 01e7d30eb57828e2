from django.urls import path

from officehours.notifications import views

app_name = "advisers_notifications"

urlpatterns = [
    path("", views.failures, name="failures"),
    path("<int:notification_id>/retry/", views.retry, name="retry"),
]
