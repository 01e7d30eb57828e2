import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from officehours import health as health_checks
from officehours.booking import selectors as booking_selectors
from officehours.live import selectors as live_selectors
from officehours.metrics import exposition as metrics_exposition
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
        "live_now": live_selectors.live_now(now),
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
    """For load balancers and people: alive (always, if it answers), ready (database,
    Redis, a recent worker heartbeat). 503 only when the database is down, as before:
    a container restarted for a late worker would not bring the worker back."""
    report = health_checks.readiness()
    checks = report["checks"]
    worker = checks["worker"]
    body = {
        "live": True,
        **report,
        # The fields of old, for scripts that read them.
        "database": "ok" if checks["database"]["ok"] else "down",
        "worker_last_seen": worker["last_seen"],
        "worker": "ok" if worker["ok"] else "unknown",
    }
    return JsonResponse(body, status=200 if checks["database"]["ok"] else 503)


@never_cache
def health_live(request):
    """Liveness: the process answers. No I/O, so a slow database restarts nothing."""
    return JsonResponse({"live": True})


@never_cache
def health_ready(request):
    """Readiness: 503 unless the database, Redis and a recent worker heartbeat answer."""
    report = health_checks.readiness()
    return JsonResponse(report, status=200 if report["ready"] else 503)


@never_cache
def metrics(request):
    """Prometheus metrics, for a scraper sending `Authorization: Bearer METRICS_TOKEN`.
    Not there at all (404) until a token is configured."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        credentials.strip().encode(), token.encode()
    ):
        return HttpResponseForbidden()
    body, content_type = metrics_exposition()
    return HttpResponse(body, content_type=content_type)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
