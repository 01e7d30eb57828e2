"""The Celery app. Tasks take primary keys, run after commit, and are idempotent."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")

app = Celery("officehours")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_queue(sender, **kwargs):
    """kombu's filesystem transport expects its folders to exist."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _bare_redbeat_settings(sender, **kwargs):
    """redbeat tells its own settings from the broker's by their bare names, which the
    CELERY_ namespace hides: without them it would fall back to the broker's options."""
    for name in ("redbeat_redis_url", "redbeat_redis_options", "redbeat_lock_timeout"):
        value = sender.conf.get(name)
        if value is not None:
            sender.conf[name] = value


@worker_ready.connect
def _heartbeat_when_ready(sender, **kwargs):
    """A worker that has just started runs the heartbeat job once, through the broker as
    beat's minute job does: /health/ready/ then knows it is up without waiting a minute
    (a fresh deployment, or a restart after the broker lost its queue)."""
    from officehours.tasks import record_heartbeat  # the tasks need the apps loaded

    record_heartbeat.delay()
