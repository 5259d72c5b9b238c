"""What "no script of the author's" means in a rendered page, checked on the HTML and in Chromium."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

from tests.security.xss_payloads import PAYLOADS

BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background", "poster"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "math"}


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_head = False

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        # The page's own JSON-LD: a data block in <head>, never run (no author text reaches <head> unescaped).
        json_ld = attributes.get("type") == "application/ld+json" and self.in_head
        if tag == "script" and not json_ld and "src" not in attributes:
            self.problems.append(f"inline <script {attributes}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "style":
            self.problems.append("<style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            image = tag == "img" and (value or "").startswith("data:image/")
            if name in URL_ATTRIBUTES and value and BAD_SCHEME.match(value) and not image:
                self.problems.append(f"<{tag} {name}={value[:40]}>")


def html_problems(html: str) -> list[str]:
    """Elements or attributes in a page that could run the author's script (empty: none)."""
    finder = _Finder()
    finder.feed(html)
    return finder.problems


#: The same checks in the browser, on the live DOM (after every parser quirk and script has run).
DOM_PROBLEMS_JS = """
() => {
  const bad = /^\\s*(javascript|vbscript|data):/i;
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background"];
  const problems = [];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    if (["iframe", "object", "embed", "base", "frame", "math"].includes(tag)) problems.push(`<${tag}>`);
    if (tag === "script" && !element.src && !(element.type === "application/ld+json" && element.closest("head")))
      problems.push("inline script");
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`<${tag} ${name}>`);
      if (urlAttributes.includes(name) && bad.test(attribute.value))
        problems.push(`<${tag} ${name}=${attribute.value}>`);
    }
  }
  return problems;
}
"""


def query_urls(payload: str) -> list[str]:
    """Every public query parameter set to ``payload``."""
    value = quote(payload, safe="")
    filters = "&".join(
        f"{name}={value}"
        for name in ("kind", "organisation", "person", "tag", "meeting", "date_from", "date_to", "before", "after")
    )
    return [
        f"/fr/recherche/?q={value}",
        f"/fr/recherche/?q={value}&page={value}",
        f"/fr/communiques/?{filters}",
        f"/fr/communiques/?page={value}",
        f"/fr/communiques/?before={value}",
        f"/fr/communiques/?organisation={value}",
        f"/fr/reunions/?page={value}",
        f"/fr/galeries/?page={value}",
        f"/fr/personnes/{'xss-person-1'}/?page={value}",
        f"/fr/themes/xss-tag-1/?page={value}",
    ]


def feed_and_api_urls(payload: str) -> list[str]:
    value = quote(payload, safe="")
    return [
        f"/fr/communiques/flux/rss/?organisation={value}&tag={value}",
        f"/fr/communiques/flux/atom/?q={value}&page={value}",
        f"/api/v1/releases/?organisation={value}&page={value}",
        f"/api/v1/releases/?lang={value}",
        f"/api/v1/people/?page={value}&q={value}",
        f"/api/v1/meetings/?page={value}",
        f"/api/v1/releases/{value}/",
        f"/api/v1/meetings/{value}/",
    ]


__all__ = ["PAYLOADS", "html_problems", "query_urls", "feed_and_api_urls", "DOM_PROBLEMS_JS"]
