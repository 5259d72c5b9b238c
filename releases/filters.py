"""The release list's filters: one Django form validating the GET parameters.

Every filter is a bookmarkable query-string parameter (``?organisation=maint&tag=asile&q=...``).
The choices are those of public releases only (``releases.selectors.filter_choices``, built once
per content version and language), so validating a value costs no query and an embargoed tag or
person never appears in them. Organisations, types and tags are ``<select>``s written without a
template per option; people and meetings, thousands of them at scale, are text boxes that accept
the slug (links from person and meeting pages) or a name as a reader types it, so the page does not
carry thousands of ``<option>``s. An unknown value, an ambiguous name, a malformed date or page
number makes the form invalid: the page answers 400 with the reason.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from releases.models import Release
from releases.search import clean_query

CURSOR = re.compile(r"^(?P<micros>-?\d{1,20})\.(?P<pk>\d{1,19})$")

#: Highest page number served with offset pagination (search results); beyond it, 404.
MAX_PAGE = 500


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def encode_cursor(release: Release) -> str:
    """A stable position in the date-ordered list: publication instant (µs since epoch) and id."""
    stamp = release.publish_at
    micros = int(stamp.timestamp()) * 1_000_000 + stamp.microsecond
    return f"{micros}.{release.pk}"


def decode_cursor(value: str) -> tuple[datetime, int] | None:
    match = CURSOR.match(value or "")
    if not match:
        return None
    micros = int(match["micros"])
    try:
        stamp = datetime.fromtimestamp(micros // 1_000_000, tz=UTC).replace(microsecond=micros % 1_000_000)
    except (OverflowError, OSError, ValueError):
        return None
    return stamp, int(match["pk"])


class PreparedChoices(BaseChoiceIterator):
    """Choices already in Django's canonical form, ``(value, label)`` pairs, taken as they are.

    Assigning a plain list to a field makes Django normalise it, pair by pair, for the field and again
    for its widget: for the thousands of people and meetings of a large newsroom that cost more than
    the rest of the list page.
    """

    def __init__(self, choices: list[tuple[str, str]]):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)


class PlainSelect(forms.Select):
    """A ``<select>`` written in one pass: hundreds of options cost a fraction of a millisecond, where
    Django's template-per-option rendering costs tens of microseconds each."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = "" if value is None else str(value)
        parts = [f'<select name="{html.escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        for option_value, label in self.choices:
            option_value = str(option_value)
            mark = " selected" if option_value == selected else ""
            # The standard library's escape (what Django's wraps), on text made str first.
            parts.append(f'<option value="{html.escape(option_value)}"{mark}>{html.escape(str(label))}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


def folded(text: str) -> str:
    """``text`` compared without case or accents ("Léon" matches "leon")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


class NameInput(forms.TextInput):
    """The text box of a :class:`NameOrSlugField`: shows the name of the chosen slug."""

    def format_value(self, value):
        if value:
            for option_value, label in self.choices:
                if option_value == value:
                    return label
        return super().format_value(value)


class NameOrSlugField(forms.ChoiceField):
    """One of many choices (people, meetings), typed rather than picked in a list of thousands.

    Accepts the slug (what links carry) or the name as shown, case and accents ignored; a part of a
    name is enough when only one choice contains it. No query: the choices are already loaded.
    """

    widget = NameInput

    def __init__(self, *, unknown_message, ambiguous_message, **kwargs):
        super().__init__(**kwargs)
        self.error_messages = {**self.error_messages, "unknown": unknown_message, "ambiguous": ambiguous_message}

    def _set_choices(self, value):
        forms.ChoiceField.choices.fset(self, value)  # the widget gets them too
        self.__dict__.pop("_slugs", None)

    choices = property(forms.ChoiceField.choices.fget, _set_choices)

    @cached_property
    def _slugs(self) -> set[str]:
        """The accepted slugs, gathered only when a value is submitted (thousands of them)."""
        return {str(slug) for slug, _label in self.choices if slug}

    def valid_value(self, value):
        return str(value) in self._slugs

    def to_python(self, value):
        text = " ".join(super().to_python(value).split())
        if not text or text in self._slugs:
            return text
        wanted = folded(text)
        named = [(slug, label) for slug, label in self.choices if slug]
        matches = [(slug, label) for slug, label in named if folded(label) == wanted]
        if not matches:
            matches = [(slug, label) for slug, label in named if wanted in folded(label)]
        if len(matches) == 1:
            return matches[0][0]
        if not matches:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"value": text})
        names = ", ".join(label for _slug, label in matches[:5]) + (" …" if len(matches) > 5 else "")
        raise forms.ValidationError(
            self.error_messages["ambiguous"], code="ambiguous", params={"value": text, "names": names}
        )


class QueryField(forms.CharField):
    """Free text, cleaned before validation: control characters (NUL included) go, length is capped."""

    def to_python(self, value):
        return clean_query(super().to_python(value))


class ReleaseFilterForm(forms.Form):
    q = QueryField(label=_("Mots recherchés"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Type"), required=False, widget=PlainSelect)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False, widget=PlainSelect)
    person = NameOrSlugField(
        label=_("Personne"),
        required=False,
        unknown_message=_("Aucune personne citée ne correspond à « %(value)s »."),
        ambiguous_message=_("Plusieurs personnes correspondent à « %(value)s » : %(names)s. Précisez le nom."),
    )
    tag = forms.ChoiceField(label=_("Thème"), required=False, widget=PlainSelect)
    meeting = NameOrSlugField(
        label=_("Réunion"),
        required=False,
        unknown_message=_("Aucune réunion ne correspond à « %(value)s »."),
        ambiguous_message=_("Plusieurs réunions correspondent à « %(value)s » : %(names)s. Précisez le titre."),
    )
    date_from = forms.DateField(label=_("Publié à partir du"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Publié jusqu'au"), required=False, widget=DateInput)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)
    before = forms.CharField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    #: Fields that narrow the list (the others only move through it).
    FILTERS = ("q", "kind", "organisation", "person", "tag", "meeting", "date_from", "date_to")

    def __init__(self, data=None, *, choices: dict[str, list[tuple[str, str]]] | None = None, fixed=(), **kwargs):
        super().__init__(data, **kwargs)
        choices = choices or {}
        everything = _("Tous")
        self.fields["kind"].choices = [("", everything), *Release.Kind.choices]
        for name in ("organisation", "person", "tag", "meeting"):
            self.fields[name].choices = PreparedChoices([("", everything), *choices.get(name, [])])
        # A page for one organisation, person or tag fixes that filter: it is not offered again.
        for name in fixed:
            self.fields.pop(name, None)

    def clean_before(self):
        value = self.cleaned_data.get("before", "")
        if value and decode_cursor(value) is None:
            raise forms.ValidationError(_("Position invalide dans la liste."))
        return value

    def clean_after(self):
        value = self.cleaned_data.get("after", "")
        if value and decode_cursor(value) is None:
            raise forms.ValidationError(_("Position invalide dans la liste."))
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return cleaned

    @property
    def is_search(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("q"))

    @property
    def active_filters(self) -> dict[str, str]:
        """The narrowing parameters as they appear in the query string (for links and feeds)."""
        if not self.is_valid():
            return {}
        active = {}
        for name in self.FILTERS:
            value = self.cleaned_data.get(name)
            if value:
                active[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return active
