"""Base classes shared by the admins of several apps."""

from modeltranslation.admin import TabbedTranslationAdmin

from newsroom.admin_widgets import EditingAidsMixin, TagAutocompleteMixin
from newsroom.forms import LuxembourgTimesAdminMixin, PublishableAdminForm, PublishableAdminMixin
from newsroom.revisions import RevisionAdminMixin


class PublishableContentAdmin(
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
