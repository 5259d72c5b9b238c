"""CSP hashes of the stylesheets the rich-text editor injects at run time.

The editor (tiptap, inside django-prose-editor) adds ``<style>`` elements with its base ProseMirror
rules from JavaScript. A strict ``style-src`` refuses inline styles without a nonce or a hash, and the
editor is given no nonce, so the exact texts it injects are allowed by their SHA-256 hashes. They are
read from the installed ``editor.js``, so a new version of the package brings its own hashes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

#: The first line of each injected stylesheet, as it starts in the bundled JavaScript.
INJECTED_STYLE_STARTS = (".ProseMirror {", ".tiptap-invisible-character {")


def _unescape_template_literal(text: str) -> str:
    """The string a JavaScript template literal (without ``${}``) evaluates to."""
    escapes = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "`": "`", "'": "'", '"': '"', "$": "$"}

    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "xu":
            return chr(int(code[1:], 16))
        return escapes.get(code, code)

    return re.sub(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", replace, text, flags=re.S)


@cache
def editor_style_hashes() -> list[str]:
    """``'sha256-…'`` sources for the stylesheets the editor injects (empty if the package is absent)."""
    try:
        import django_prose_editor
    except ImportError:
        return []
    script = Path(django_prose_editor.__file__).parent / "static" / "django_prose_editor" / "editor.js"
    if not script.exists():
        return []
    source = script.read_text(encoding="utf-8")
    hashes = []
    for start in INJECTED_STYLE_STARTS:
        for literal in re.findall(r"`(" + re.escape(start) + r"[^`]*)`", source):
            digest = hashlib.sha256(_unescape_template_literal(literal).encode("utf-8")).digest()
            hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return hashes
