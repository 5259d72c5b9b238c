from django import template
from django.utils.translation import gettext as _

from releases.models import Release

register = template.Library()


def join_names(names: list[str]) -> str:
    """ "a", "a et b", "a, b et c" in the active language."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


@register.simple_tag
def closing_line(release: Release, issuers) -> str:
    """ "Communiqué par le ministère des Affaires intérieures", from the issuing organisations.

    Each organisation signs with the name it had (a renamed ministry is another organisation row).
    """
    names = join_names([organisation.byline for organisation in issuers])
    if not names:
        return ""
    if release.kind == Release.Kind.COMMUNIQUE:
        return _("Communiqué par %(organisations)s") % {"organisations": names}
    return _("Publié par %(organisations)s") % {"organisations": names}
