# The Celery app is imported with Django so @shared_task uses it everywhere.
from officehours.celery import app as celery_app

__all__ = ["celery_app"]
