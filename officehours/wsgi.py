import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")
application = get_wsgi_application()


def _freeze_what_lives_as_long_as_the_process() -> None:
    """Keeps Python's collector off the objects that live as long as the process.

    A web process holds some 150,000 objects once Django, the URLconf and the API are
    loaded; a full collection walks them all, about 75 ms in which the process answers
    nobody, and one can fall in the middle of a booking rush. Frozen, they are left
    out of every collection; what requests allocate is collected as before."""
    get_resolver().url_patterns  # noqa: B018 -- loads the URLconf and the API (else at the first request)
    gc.collect()
    gc.freeze()


_freeze_what_lives_as_long_as_the_process()
