from celery import shared_task

from officehours.booking.services.sessions import sessions_sync
from officehours.booking.services.waitlist import expire_offers


@shared_task
def sync_sessions() -> int:
    """Hourly: sessions for the booking horizon exist and follow their series."""
    return sessions_sync().created


@shared_task
def expire_waitlist_offers() -> int:
    """Every minute: lapsed offers pass their seat to the next in line."""
    return expire_offers()
