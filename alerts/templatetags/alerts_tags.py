"""``{% subscribe_form %}``: the "Recevoir ces communiqués par e-mail" form of list, person,
organisation, tag and home pages. Without arguments it follows the list's active filters
(``active_filters`` in the context); a page fixes its own (``{% subscribe_form tag=tag.slug %}``).
It carries no CSRF token, so the public pages that show it stay cacheable (alerts/views.py)."""

from django import template
from django.utils.translation import get_language

from alerts.forms import FILTERS
from alerts.models import Frequency

register = template.Library()


@register.inclusion_tag("alerts/subscribe_include.html", takes_context=True)
def subscribe_form(context, **fixed):
    active = dict(context.get("active_filters") or {})
    filters = {name: value for name, value in {**active, **fixed}.items() if name in FILTERS and value}
    return {"filters": filters, "language": get_language(), "frequencies": Frequency.choices}
