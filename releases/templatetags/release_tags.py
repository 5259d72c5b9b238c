import hashlib

from django import template
from django.db.models import prefetch_related_objects
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import pagecache
from core.publication import request_site
from releases.cache_tags import choices_tags
from releases.models import Release
from releases.selectors import LIGHT_MARK, list_issuers, with_list_relations

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


@register.simple_tag
def release_items(releases, heading: str = "h2") -> str:
    """The entries of a list of releases: type, date, title (in the reader's language or marked with the
    one shown), search snippet, issuing organisations.

    Each entry but its heading level and snippet is kept rendered per release and language in the page
    cache's store (``core.pagecache.cached_fragments``: one read for the 20 entries of a page) with the
    cache tags of what it shows, ``release:<id>`` and its issuers' ``organisation:<id>``: a correction
    of the release or a renaming of an issuer builds it again, and the page showing it carries those
    tags. The releases themselves are selected by the view through ``public()`` on every request; an
    entry is only the rendering of one of them. Issuers are fetched (one query) only for the entries
    built, and releases selected with their id and date only (``light_rows``) are fetched again, in
    full and through ``public()``, only for those.
    """
    releases = list(releases)
    language = get_language()
    names = [f"release-item:{release.pk}:{language}" for release in releases]

    def prepare(missing: list[int]) -> None:
        chosen = [releases[index] for index in missing]
        if any(LIGHT_MARK in release.get_deferred_fields() for release in chosen):
            # A release unpublished in between is left out.
            full = with_list_relations(Release.objects.public()).filter(pk__in=[release.pk for release in chosen])
            found = {release.pk: release for release in full}
            for index in missing:
                releases[index] = found.get(releases[index].pk)
        else:
            prefetch_related_objects(chosen, list_issuers())

    def build(index: int):
        release = releases[index]
        return entry_parts(release, language) if release is not None else None

    parts = pagecache.cached_fragments(names, build, prepare=prepare)
    return mark_safe(  # noqa: S308 - every part is built with format_html or escaped
        "".join(
            render_entry(entry, heading, getattr(release, "snippet", None))
            for release, entry in zip(releases, parts, strict=True)
            if entry is not None
        )
    )


def entry_parts(release: Release, reader_language: str) -> tuple[str, str, str, str]:
    """An entry without its heading level and snippet: (type and date line, ``lang`` attribute, title
    link, the rest), each escaped. Adds the tags of what it shows to the page (or fragment) being built."""
    shown = release.content_language(reader_language)
    lang = format_html(' lang="{}"', shown) if shown != reader_language else ""
    published = template_localtime(release.publish_at)
    withdrawn = format_html(" · <strong>{}</strong>", _("Retiré")) if release.status == "withdrawn" else ""
    kind_line = format_html(
        '<li class="release-item">\n  <p class="kind">{} · <time datetime="{}">{}</time>{}</p>\n  \n',
        release.get_kind_display(),
        date_filter(published, "c"),
        date_filter(published, "DATE_FORMAT"),
        withdrawn,
    )
    link = format_html('<a href="{}">{}</a>', release.get_absolute_url(), release.display_title)
    rest = []
    if lang:
        language = translation.get_language_info(shown)["name_translated"]
        note = _("Disponible en : %(language)s") % {"language": language}
        rest.append(format_html('  <p class="language-note">{}</p>\n', note))
    issuer_rows = list(release.issuers.all())
    pagecache.add_tags(f"release:{release.pk}", *(f"organisation:{row.organisation_id}" for row in issuer_rows))
    issuers = [issuer.organisation.name for issuer in issuer_rows]
    if issuers:
        names = format_html_join(", ", "{}", ((name,) for name in issuers))
        rest.append(format_html('  \n  <p class="issuers">{}</p>\n', names))
    rest.append("</li>\n")
    return str(kind_line), str(lang), str(link), "".join(rest)


def render_entry(parts: tuple[str, str, str, str], heading: str, snippet: str | None) -> str:
    """An entry from :func:`entry_parts`, with its heading level and search snippet (already escaped)."""
    kind_line, lang, link, rest = parts
    tag = "h3" if heading == "h3" else "h2"
    snippet_html = format_html('  <p class="snippet"{}>{}</p>\n', mark_safe(lang), snippet) if snippet else ""  # noqa: S308
    return f'{kind_line}  <{tag} class="release-title"{lang}>{link}</{tag}>\n{snippet_html}{rest}'


@register.simple_tag(takes_context=True)
def filter_form(context) -> str:
    """The list's filter form (``includes/filter_form.html``), kept rendered per language, address and
    shown values in the page cache's store under the ``choices`` tag (its options are the filter
    choices): a list page reads it instead of rendering eight fields and hundreds of options.

    Only a valid (or empty) form is kept: one with errors is rendered each time. The form is a GET form
    without a CSRF token; nothing in it differs per reader.
    """
    form = context["form"]
    request = context["request"]

    def build() -> str:
        pagecache.add_tags(*choices_tags(request_site(request)))
        return render_to_string("includes/filter_form.html", context.flatten(), request=request)

    if form.is_bound and not form.is_valid():
        return mark_safe(build())  # noqa: S308 - rendered by the template engine
    shown = tuple((field.name, field.value()) for field in form.visible_fields())
    key = repr((context.get("action") or request.path, context.get("reset_url"), shown))
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    return mark_safe(pagecache.cached_fragment(f"filter-form:{get_language()}:{digest}", build))  # noqa: S308 - rendered by the template engine
