"""The rich-text editor of the admin (django-prose-editor), configured to match the sanitiser.

The editor offers exactly what ``core.html`` keeps: paragraphs, headings h2–h4, bold, italic,
underline, subscript and superscript, bulleted and numbered lists, links (http, https, mailto),
quotations, line breaks and rules. Text pasted from Word or a web page is parsed into that structure
by the editor; styles, classes and scripts have no place in it and are dropped. Whatever a browser
sends, ``sanitise_html`` cleans it again when the model is saved (``Release.save``, ``Person.save``).

The editor's JavaScript and CSS are the package's own static files (no CDN). Its import map is an
inline ``<script type="importmap">`` written by django-js-asset.

Its dialogs speak the admin's language through Django's JavaScript catalogue (the package's own
``djangojs`` catalogues, loaded by the admin's change form from ``admin-jsi18n``); its toolbar's button
titles are English in the package, and ``static/admin-extras/editor-labels.js`` translates them
(``locale/*/LC_MESSAGES/djangojs.po``).
"""

from __future__ import annotations

from django import forms
from django_prose_editor.widgets import AdminProseEditorWidget

#: The editor's extensions. ``tests/admin/test_rich_text.py`` checks them against the sanitiser's allow-list.
EDITOR_EXTENSIONS = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}

#: Tags the sanitiser keeps although the editor does not write them: older or imported texts use
#: ``<b>`` and ``<i>`` (the editor turns them into ``<strong>`` and ``<em>`` when opened) and ``<abbr>``.
SANITISER_ONLY_TAGS = {"b", "i", "abbr"}


class RichTextWidget(AdminProseEditorWidget):
    """The package's admin editor, with its toolbar's labels in the admin's language."""

    @property
    def media(self):
        return super().media + forms.Media(js=("admin-extras/editor-labels.js",))


def rich_text_widget() -> AdminProseEditorWidget:
    return RichTextWidget(config={"extensions": EDITOR_EXTENSIONS}, preset="configurable")


class RichTextAdminMixin:
    """For a ModelAdmin: the fields named in ``rich_text_fields`` (and their translations) get the editor."""

    rich_text_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.rich_text_fields:
            kwargs["widget"] = rich_text_widget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)
