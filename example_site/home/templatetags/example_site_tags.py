from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def same_page_in(context, language_code):
    """This page's address in another language (the i18n_patterns prefix swapped)."""
    request = context.get("request")
    return translate_url(request.get_full_path(), language_code) if request else "/"
