from django import template
from django.utils.safestring import SafeString

from officehours.markdown import render

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """User Markdown as sanitised HTML (see officehours/markdown.py)."""
    return render(text)
