"""Base classes shared by the admins of several apps."""

from django.contrib.admin import helpers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.admin_widgets import EditingAidsMixin, TagAutocompleteMixin
from core.forms import LuxembourgTimesAdminMixin, PublishableAdminForm, PublishableAdminMixin
from core.revisions import RevisionAdminMixin

#: The admin's own label for a row's checkbox, translated by Django's catalogues (not ours).
SELECT_FOR_ACTION = "Select this object for an action - {}"


class ReadOnlyAdminMixin:
    """Rows nobody adds, changes or deletes in the admin: they are written by the code (a record, a
    subscription confirmed by its reader)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuickSelectionMixin:
    """Change-list selection checkboxes written in one ``format_html`` each.

    Django renders each through a form widget and its templates: on a page of 50 releases that is a
    third of the change list's time. Same markup, same label.
    """

    def action_checkbox(self, obj):
        label = format_html(_(SELECT_FOR_ACTION), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )


class PublishableContentAdmin(
    QuickSelectionMixin,
    EditingAidsMixin,
    PublishableAdminMixin,
    TagAutocompleteMixin,
    RevisionAdminMixin,
    LuxembourgTimesAdminMixin,
    TabbedTranslationAdmin,
):
    """The admin of a translated, tagged, publishable model kept in revisions (meetings, galleries):
    tabs per language, times in Luxembourg time, only editors make it public, the unsaved-changes
    warning and the browser draft."""

    form = PublishableAdminForm
