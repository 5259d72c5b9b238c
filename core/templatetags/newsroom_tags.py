from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context, language: str) -> str:
    """The current page in ``language``.

    A page may give its own addresses per language (``switcher_urls``: a release's translated slug);
    otherwise the same view and arguments under the other prefix.
    """
    urls = context.get("switcher_urls") or {}
    if language in urls:
        return urls[language]
    request = context["request"]
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _translated(request.get_full_path(), language, get_language(), urlconf, get_script_prefix())


@lru_cache(maxsize=2048)
def _translated(path: str, language: str, active: str, urlconf, script_prefix: str) -> str:
    """``translate_url``, which resolves and reverses the address (about 150 µs, four times a page): its
    answer depends only on the address, the two languages, the URL patterns and the script prefix."""
    return translate_url(path, language)


@register.simple_tag
def querystring_with(params: dict | None = None, **extra) -> str:
    """``?a=1&b=2`` from a dict of parameters plus keyword overrides (empty values dropped)."""
    merged = {**(params or {}), **extra}
    merged = {key: value for key, value in merged.items() if value not in (None, "")}
    return "?" + urlencode(merged) if merged else ""


@register.filter
def json_ld(data) -> str:
    """Already-rendered JSON-LD (see core.structured_data)."""
    return data


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    """A form's media (scripts, styles, the prose editor's import map) with the request's CSP nonce."""
    from js_asset import Media

    request = context.get("request")
    lazy_nonce = getattr(request, "csp_nonce", None) if request is not None else None
    # django-csp's lazy nonce is falsy until read: read it (which also puts it in the header).
    nonce = str(lazy_nonce) if lazy_nonce is not None else ""
    return Media.from_media(media, nonce=nonce).render()


@register.filter
def safe_url(url):
    """An address fit for ``href``: http, https or mailto only (the same schemes as rich text)."""
    from core.html import safe_url as clean

    return clean(url)


#: How many renderings one site keeps (names × languages × addresses it is asked at).
KEPT_PER_SITE = 64


@register.tag
def kept(parser, token):
    """``{% kept "name" %}…{% endkept %}``: markup rendered once per site, language and address, then
    reused by every page of the process (the header's navigation, the footer).

    Only for markup that shows nothing but the site's own fields (``site``, ``portal_url``), fixed
    links and translated labels: it is kept on the site object itself, which the sites directory
    replaces when any site is saved (``sites.directory.forget``), so nothing else may change it. No
    cache tag is involved: a page showing it carries only the tags of its own content.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% kept %} takes one name")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(parser.compile_filter(bits[1]), nodelist)


class KeptNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        site, request = context.get("site"), context.get("request")
        if site is None or request is None:
            return self.nodelist.render(context)
        key = (
            self.name.resolve(context),
            get_language(),
            f"{request.scheme}://{request.get_host()}",
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
        )
        renderings = site.__dict__.setdefault("_kept_renderings", {})
        markup = renderings.get(key)
        if markup is None:
            markup = self.nodelist.render(context)
            if len(renderings) >= KEPT_PER_SITE:
                renderings.clear()
            renderings[key] = markup
        return markup
