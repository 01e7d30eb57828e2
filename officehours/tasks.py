from celery import shared_task
from django.utils import timezone

from officehours.models import WorkerHeartbeat


@shared_task
def record_heartbeat(name: str = "default") -> str:
    """Run by beat every minute; idempotent (one row per worker name)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"last_seen": now})
    return now.isoformat()
