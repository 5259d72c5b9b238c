from modeltranslation.translator import TranslationOptions, register

from releases.models import Release, ReleaseUpdate


@register(Release)
class ReleaseTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "lead", "body", "withdrawal_note")
    # Required in the release's own language (see Release.clean), which is not always French.
    fallback_languages = {"default": ()}


@register(ReleaseUpdate)
class ReleaseUpdateTranslationOptions(TranslationOptions):
    fields = ("note",)
