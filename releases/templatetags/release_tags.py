from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import pagecache
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


@register.simple_tag(takes_context=True)
def release_item(context, release: Release, heading: str = "h2") -> str:
    """One entry of a list of releases: type, date, title (in the reader's language or marked with the
    one shown), search snippet, issuing organisations.

    Written in Python rather than with an included template: a list renders it 20 times per page.
    """
    reader_language = context.get("LANGUAGE_CODE") or get_language()
    shown = release.content_language()
    lang = format_html(' lang="{}"', shown) if shown != reader_language else ""
    published = template_localtime(release.publish_at)
    withdrawn = format_html(" · <strong>{}</strong>", _("Retiré")) if release.status == "withdrawn" else ""
    tag = "h3" if heading == "h3" else "h2"
    parts = [
        format_html(
            '<li class="release-item">\n  <p class="kind">{} · <time datetime="{}">{}</time>{}</p>\n  \n'
            '  <{} class="release-title"{}><a href="{}">{}</a></{}>\n',
            release.get_kind_display(),
            date_filter(published, "c"),
            date_filter(published, "DATE_FORMAT"),
            withdrawn,
            tag,
            lang,
            release.get_absolute_url(),
            release.display_title,
            tag,
        )
    ]
    snippet = getattr(release, "snippet", None)
    if snippet:
        parts.append(format_html('  <p class="snippet"{}>{}</p>\n', lang, snippet))
    if lang:
        language = translation.get_language_info(shown)["name_translated"]
        note = _("Disponible en : %(language)s") % {"language": language}
        parts.append(format_html('  <p class="language-note">{}</p>\n', note))
    issuer_rows = list(release.issuers.all())
    pagecache.add_tags(f"release:{release.pk}", *(f"organisation:{row.organisation_id}" for row in issuer_rows))
    issuers = [issuer.organisation.name for issuer in issuer_rows]
    if issuers:
        names = format_html_join(", ", "{}", ((name,) for name in issuers))
        parts.append(format_html('  \n  <p class="issuers">{}</p>\n', names))
    parts.append("</li>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every part is built with format_html or escaped
