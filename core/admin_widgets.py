"""Admin helpers shared by the apps."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from taggit.managers import TaggableManager

from core.models import Tag


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


class InlinePlacementMixin:
    """For a ModelAdmin: some inlines drawn right after a given fieldset instead of below the whole form.

    ``inline_placement`` maps an inline class to the index of the fieldset it follows (0 = the first),
    so that a form reads top to bottom in the order it is filled. Other inlines stay at the bottom, in
    their ``inlines`` order. ``templates/admin/change_form.html`` draws ``form_sections``.
    """

    inline_placement: dict[type, int] = {}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        if self.inline_placement and adminform is not None:
            fieldsets = list(adminform)
            inlines = list(context.get("inline_admin_formsets", []))
            last = len(fieldsets) - 1
            placed = {index: [] for index in range(len(fieldsets))}
            trailing = []
            for inline_admin_formset in inlines:
                index = self.inline_placement.get(type(inline_admin_formset.opts))
                if index is None:
                    trailing.append(inline_admin_formset)
                else:
                    placed[min(index, last)].append(inline_admin_formset)
            context["form_sections"] = [(fieldset, placed[index]) for index, fieldset in enumerate(fieldsets)]
            context["trailing_inlines"] = trailing
        return super().render_change_form(request, context, add, change, form_url, obj)


#: The editing aids of static/admin-extras, in load order (form-state.js is used by the two others);
#: their stylesheet, editing.css, is loaded on every admin page by templates/admin/base_site.html.
EDITING_AIDS_MEDIA = forms.Media(
    js=("admin-extras/form-state.js", "admin-extras/unsaved-changes.js", "admin-extras/draft-autosave.js"),
)


class EditingAidsMixin:
    """Opt-in for a ModelAdmin: the unsaved-changes warning and the draft autosaved in the browser.

    The scripts find their settings in ``templates/admin/includes/editing_config.html``, which the
    change form includes when ``editing_aids`` is in its context.
    """

    @property
    def media(self):
        return super().media + EDITING_AIDS_MEDIA

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["editing_aids"] = True
        return super().render_change_form(request, context, add, change, form_url, obj)
