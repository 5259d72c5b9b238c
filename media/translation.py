from modeltranslation.translator import TranslationOptions, register

from media.models import Gallery, Photo


@register(Photo)
class PhotoTranslationOptions(TranslationOptions):
    fields = ("caption", "alt_text")


@register(Gallery)
class GalleryTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("fr",)
