"""The county's contacts in templates, from their settings (COUNTY_PHONE, COUNTY_EMAIL).
Tags rather than a context processor: the 500, 503 and refusal pages are drawn without
a request, and they name the number too."""

from django import template
from django.conf import settings

from notifications.phones import international_phone, phone_uri

register = template.Library()


@register.simple_tag
def county_phone() -> str:
    return settings.COUNTY_PHONE


@register.simple_tag
def county_phone_international() -> str:
    return international_phone(settings.COUNTY_PHONE)


@register.simple_tag
def county_phone_uri() -> str:
    return phone_uri(settings.COUNTY_PHONE)


@register.simple_tag
def county_email() -> str:
    return settings.COUNTY_EMAIL
