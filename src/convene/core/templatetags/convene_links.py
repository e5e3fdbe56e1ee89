"""`{% absolute_url 'app:name' arg %}`: a link for what leaves the platform (e-mails, printed
documents, calendar addresses), made from SITE_URL and never from the request's Host header."""

from django import template

from convene.core import links

register = template.Library()


@register.simple_tag
def absolute_url(path_or_name: str, *args, **kwargs) -> str:
    return links.absolute_url(path_or_name, *args, **kwargs)
