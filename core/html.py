"""Rich-text sanitising: the one allow-list for HTML written by press officers."""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "sub",
    "sup",
    "abbr",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "*": {"lang"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    """Keep structure (paragraphs, headings, lists, links...) and drop styles, scripts and unsafe links."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def safe_url(url: str) -> str:
    """``url`` if it is an http, https or mailto address, else an empty string (no ``javascript:`` links)."""
    from urllib.parse import urlsplit

    if not url:
        return ""
    cleaned = "".join(ch for ch in str(url) if ch > " ").strip()
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return ""
    return str(url).strip() if scheme in ALLOWED_URL_SCHEMES else ""


def sanitise_biography(text: str) -> str:
    """A biography is rich text like a release body; one typed as plain text gets its paragraphs."""
    if not text:
        return ""
    if "<" not in text:
        from django.utils.html import linebreaks

        text = linebreaks(text)
    return sanitise_html(text)
