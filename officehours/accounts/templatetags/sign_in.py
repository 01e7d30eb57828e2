"""What the sign-in page tells a visitor who was sent there."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def sign_in_reason(next_url: str | None) -> str:
    """Why they must sign in, from where they were going (the `next` parameter)."""
    if not next_url:
        return ""
    if next_url.startswith(reverse("booking:book")):
        return _("Sign in to book a time.")
    return _("Sign in to continue.")
