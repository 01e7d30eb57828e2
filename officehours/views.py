from django.contrib.auth import get_user_model
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from officehours.booking import selectors as booking_selectors
from officehours.models import WorkerHeartbeat
from officehours.permissions import ADVISER_GROUP, adviser_required, is_employee
from officehours.questions import selectors as question_selectors


def home(request):
    """The start page; for an employee also the next hour, their next booking, open questions."""
    if not is_employee(request.user):
        return render(request, "home.html")
    now = timezone.now()
    context = {
        "next_hour": booking_selectors.next_hour(user=request.user, now=now),
        "next_booking": booking_selectors.next_booking(user=request.user, now=now),
        "open_questions": question_selectors.open_questions(user=request.user),
    }
    return render(request, "home.html", context)


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
