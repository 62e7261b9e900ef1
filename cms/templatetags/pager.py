"""{% load pager %}: the pieces of templates/includes/pagination.html.

{% page_href 3 %}            → "?q=增长&page=3": the current query with another page
{% for n in page|page_numbers %} → 1 … 4 5 6 … 12 (Paginator's elided range)
"""

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def page_href(context, number) -> str:
    request = context.get("request")
    params = [(k, v) for k, values in (request.GET.lists() if request else []) if k != "page" for v in values]
    params.append(("page", str(number)))
    return "?" + urlencode(params)


@register.filter
def page_numbers(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
