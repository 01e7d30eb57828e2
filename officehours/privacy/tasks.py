from celery import shared_task

from officehours.privacy.services import retention_apply


@shared_task
def apply_retention() -> dict:
    """Daily: personal data on old closed questions and past bookings is anonymised."""
    return retention_apply()
