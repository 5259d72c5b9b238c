from modeltranslation.translator import TranslationOptions, register

from core.models import Tag


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)
    empty_values = None  # an untranslated name is NULL, so the unique columns do not clash on ""
