"""Advisers see e-mails that could not be sent, and try them again."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from officehours.notifications import sending, wakeup
from officehours.notifications.models import Notification
from officehours.permissions import adviser_required


@adviser_required
def failures(request: HttpRequest) -> HttpResponse:
    failed = (
        Notification.objects.filter(status=Notification.FAILED)
        .select_related("recipient")
        .order_by("-created_at", "-id")[:200]
    )
    counts = dict(Notification.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return render(request, "advisers/notifications.html", {"failed": failed, "counts": counts})


@require_POST
@adviser_required
def retry(request: HttpRequest, notification_id: int) -> HttpResponseRedirect:
    notification = get_object_or_404(Notification, pk=notification_id)
    if sending.retry_now(notification):
        wakeup.send_soon()  # requests are not atomic: the row is pending already
        messages.success(request, _("The e-mail will be sent again."))
    return redirect("advisers_notifications:failures")
