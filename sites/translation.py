from modeltranslation.translator import TranslationOptions, register

from sites.models import Site, SiteLink


@register(Site)
class SiteTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "contact")
    required_languages = ("fr",)


@register(SiteLink)
class SiteLinkTranslationOptions(TranslationOptions):
    fields = ("label",)
    required_languages = ("fr",)
