# Django's Swedish formats, with the week starting on Monday as in Sweden.
from django.conf.locale.sv.formats import *  # noqa: F403

FIRST_DAY_OF_WEEK = 1
