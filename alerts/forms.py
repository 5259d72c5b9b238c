"""The subscribe form: an address, a language, a frequency, and the list's filter values."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from alerts.models import Frequency
from core.models import Tag, TaggedItem
from core.publication import public_q
from meetings.models import Meeting, Participation
from people.models import Organisation, Person
from releases.models import Release

#: The release list's filters a subscription can follow (dates and search words are not followed).
FILTERS = ("kind", "organisation", "person", "tag", "meeting")


class SubscribeForm(forms.Form):
    address = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Cette adresse e-mail n'est pas valide."),
        },
    )
    language = forms.ChoiceField(label=_("Langue des messages"), choices=settings.LANGUAGES)
    frequency = forms.ChoiceField(
        label=_("Fréquence"), choices=Frequency.choices, initial=Frequency.IMMEDIATE, widget=forms.RadioSelect
    )
    wants_updates = forms.BooleanField(label=_("Me prévenir aussi des mises à jour importantes"), required=False)
    kind = forms.ChoiceField(choices=[("", "")] + list(Release.Kind.choices), required=False, widget=forms.HiddenInput)
    organisation = forms.SlugField(required=False, widget=forms.HiddenInput)
    person = forms.SlugField(required=False, widget=forms.HiddenInput)
    tag = forms.SlugField(required=False, widget=forms.HiddenInput)
    meeting = forms.SlugField(required=False, widget=forms.HiddenInput)

    def clean_address(self):
        return self.cleaned_data["address"].strip().lower()

    def _resolve(self, name, queryset, message):
        slug = self.cleaned_data.get(name)
        if not slug:
            return None
        target = queryset.filter(slug=slug).first()
        if target is None:
            raise forms.ValidationError(message)
        return target

    def clean_organisation(self):
        return self._resolve("organisation", Organisation.objects.all(), _("Cette organisation n'existe pas."))

    def clean_person(self):
        # Only people with a public page (named by a public release, or in a public meeting): one that
        # only an embargoed release names stays unknown (the same rule as website.selectors.public_people).
        named = Release.appointments.through.objects.filter(Q(appointment__person=OuterRef("pk")) & public_q("release"))
        taking_part = Participation.objects.filter(Q(appointment__person=OuterRef("pk")) & public_q("meeting"))
        people = Person.objects.filter(Exists(named) | Exists(taking_part))
        return self._resolve("person", people, _("Cette personne n'existe pas."))

    def clean_tag(self):
        # Only a theme some public release carries: one used only under embargo stays unknown.
        used = TaggedItem.objects.filter(
            tag=OuterRef("pk"),
            content_type=ContentType.objects.get_for_model(Release),
            object_id__in=Release.objects.public().values("pk"),
        )
        return self._resolve("tag", Tag.objects.filter(Exists(used)), _("Ce thème n'existe pas."))

    def clean_meeting(self):
        return self._resolve("meeting", Meeting.objects.public(), _("Cette réunion n'existe pas."))

    def filter_values(self) -> dict:
        return {name: self.cleaned_data.get(name) or (None if name != "kind" else "") for name in FILTERS}


class SubscriptionChangeForm(forms.Form):
    """One subscription on the manage page."""

    language = forms.ChoiceField(label=_("Langue des messages"), choices=settings.LANGUAGES)
    frequency = forms.ChoiceField(label=_("Fréquence"), choices=Frequency.choices, widget=forms.RadioSelect)
    wants_updates = forms.BooleanField(label=_("Me prévenir aussi des mises à jour importantes"), required=False)
