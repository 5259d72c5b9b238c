from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context, language: str) -> str:
    """The current page in ``language`` (same view and arguments under the other prefix)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)
