from django.contrib.auth import get_user_model
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from officehours.models import WorkerHeartbeat
from officehours.permissions import ADVISER_GROUP, adviser_required


def home(request):
    return render(request, "home.html")


@adviser_required
def adviser_home(request):
    advisers = (
        get_user_model()
        .objects.filter(groups__name=ADVISER_GROUP, is_active=True)
        .order_by("name", "email")
        .only("name", "email")
    )
    return render(request, "advisers/home.html", {"advisers": advisers})


@never_cache
def health(request):
    """For load balancers and people: is the database up, are jobs being run?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database_ok = True
    except Exception:
        database_ok = False
    beat = WorkerHeartbeat.objects.filter(name="default").first() if database_ok else None
    age = (timezone.now() - beat.last_seen).total_seconds() if beat else None
    body = {
        "database": "ok" if database_ok else "down",
        "worker_last_seen": beat.last_seen.isoformat() if beat else None,
        "worker": "ok" if age is not None and age < 180 else "unknown",
    }
    return JsonResponse(body, status=200 if database_ok else 503)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
