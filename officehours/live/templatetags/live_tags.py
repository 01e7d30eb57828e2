from django import template
from django.conf import settings
from django.urls import reverse

from officehours.live.qr import qr_data_uri

register = template.Library()


@register.simple_tag
def live_link(session) -> dict[str, str]:
    """The live page's short link and its QR code."""
    url = settings.SITE_URL + reverse("live:short", args=[session.pk])
    return {"url": url, "qr": qr_data_uri(url)}
