from modeltranslation.translator import TranslationOptions, register

from people.models import Organisation, Person, Role


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "acronym", "byline_name")
    required_languages = ("fr",)


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("biography",)


@register(Role)
class RoleTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("fr",)
