"""The release list's filters: one Django form validating the GET parameters.

Every filter is a bookmarkable query-string parameter (``?organisation=maint&tag=asile&q=...``).
The choices offered are loaded once per request (one small query each) from what is public, so
validating a value costs no further query and an embargoed tag or person never appears in them.
An unknown value, a malformed date or page number makes the form invalid: the page answers 400.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django import forms
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


class QueryField(forms.CharField):
    """Free text, cleaned before validation: control characters (NUL included) go, length is capped."""

    def to_python(self, value):
        return clean_query(super().to_python(value))


class ReleaseFilterForm(forms.Form):
    q = QueryField(label=_("Mots recherchés"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Type"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    person = forms.ChoiceField(label=_("Personne"), required=False)
    tag = forms.ChoiceField(label=_("Thème"), required=False)
    meeting = forms.ChoiceField(label=_("Réunion"), required=False)
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
            self.fields[name].choices = [("", everything), *choices.get(name, [])]
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
