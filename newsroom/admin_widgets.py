"""Admin helpers shared by the apps."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from taggit.managers import TaggableManager

from newsroom.models import Tag


class TagAutocompleteMixin:
    """Tags picked with search-as-you-type among existing ones (the admin's autocomplete), not typed freely.

    New tags are created in the tag admin, where each gets its name in every language.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, TaggableManager):
            return forms.ModelMultipleChoiceField(
                queryset=Tag.objects.all(),
                required=False,
                label=db_field.verbose_name,
                widget=AutocompleteSelectMultiple(db_field, admin.site),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
