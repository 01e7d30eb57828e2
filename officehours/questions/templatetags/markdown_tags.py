from django import template

from officehours.markdown import render

register = template.Library()


@register.filter
def markdown(text: str):
    """User Markdown as sanitised HTML (see officehours/markdown.py)."""
    return render(text)
