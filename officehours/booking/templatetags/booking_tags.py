from zoneinfo import ZoneInfo

from django import template
from django.utils import translation

from officehours.booking.schedule import holiday_name
from officehours.calendars.ics import calendar_links as _calendar_links

register = template.Library()


@register.filter
def holiday_label(session) -> str:
    """The holiday that skipped this session, named in the reader's language."""
    if not session.holiday_name:
        return ""
    day = session.starts_at.astimezone(ZoneInfo(session.series.timezone)).date()
    named = holiday_name(session.series.holiday_country, day, translation.get_language())
    return named or session.holiday_name


@register.simple_tag
def calendar_links(booking) -> dict[str, str]:
    """{% calendar_links booking as links %}: links.google and links.outlook."""
    return _calendar_links(booking)
