"""Field defaults that follow the site's settings.

Callables rather than values, so that a migration records where the default comes
from and not what LANGUAGE_CODE, TIME_ZONE or HOLIDAY_COUNTRY were on the machine
that made it.
"""

from django.conf import settings


def language_code() -> str:
    return settings.LANGUAGE_CODE


def time_zone() -> str:
    return settings.TIME_ZONE


def holiday_country() -> str:
    return settings.HOLIDAY_COUNTRY
