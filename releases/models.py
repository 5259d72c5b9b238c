"""Press releases ("communiqués"), their issuing organisations and their public change notes."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Deferrable
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.html import sanitise_html
from core.models import TaggedItem
from core.publication import Publishable
from releases.search import update_search_vectors

#: The fields whose change may move a release in or out of lists, or change what the filters offer.
LISTED_FIELDS = ("kind", "meeting_id", "status", "publish_at", "unpublish_at")


class Release(Publishable):
    class Kind(models.TextChoices):
        COMMUNIQUE = "communique", _("Communiqué")
        ARTICLE = "article", _("Article")
        SPEECH = "speech", _("Discours")
        INTERVIEW = "interview", _("Interview")
        PRESS_CONFERENCE = "press_conference", _("Conférence de presse")

    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.COMMUNIQUE)
    title = models.CharField(_("titre"), max_length=300)
    slug = models.SlugField(_("identifiant d'URL"), max_length=150, allow_unicode=False)
    lead = models.TextField(_("chapeau"), blank=True)
    body = models.TextField(_("texte"), blank=True, help_text=_("Nettoyé à l'enregistrement."))
    original_language = models.CharField(
        _("langue d'origine"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    event_date = models.DateField(_("date de l'événement"), null=True, blank=True)
    organisations = models.ManyToManyField(
        "people.Organisation",
        through="ReleaseOrganisation",
        related_name="releases",
        verbose_name=_("organisations émettrices"),
    )
    appointments = models.ManyToManyField(
        "people.Appointment", related_name="releases", blank=True, verbose_name=_("personnes citées")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("réunion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="releases",
    )
    gallery = models.ForeignKey(
        "media.Gallery",
        verbose_name=_("galerie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="releases",
    )
    tags = TaggableManager(through=TaggedItem, blank=True, verbose_name=_("mots-clés"))
    # The same tag links seen as rows, so that revisions keep and restore them (see releases/apps.py).
    tagged_items = GenericRelation(TaggedItem, related_query_name="release")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_note = models.TextField(
        _("note de retrait"), blank=True, help_text=_("Publique : affichée sur la page d'un communiqué retiré.")
    )
    # Derived from the issuers (releases.signals): the organisation filter and the organisation page
    # read it through its GIN index, which PostgreSQL can intersect with a search's.
    organisation_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    # Derived on save by releases.search (one vector per language); never edited.
    search_fr = SearchVectorField(null=True, editable=False)
    search_de = SearchVectorField(null=True, editable=False)
    search_en = SearchVectorField(null=True, editable=False)
    search_lb = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("communiqué")
        verbose_name_plural = _("communiqués")
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="release_status_publish_idx"),
            # Keyset pagination of the public lists walks this index ("older than this release").
            models.Index(fields=["-publish_at", "-id"], name="release_publish_id_idx"),
            GinIndex(fields=["search_fr"], name="release_search_fr_idx"),
            GinIndex(fields=["search_de"], name="release_search_de_idx"),
            GinIndex(fields=["search_en"], name="release_search_en_idx"),
            GinIndex(fields=["search_lb"], name="release_search_lb_idx"),
            GinIndex(fields=["organisation_ids"], name="release_organisation_ids_idx"),
            # The admin's search (``ReleaseAdmin.search_fields``, "icontains": UPPER(column) LIKE '%…%').
            *(
                GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=f"release_{column}_trgm")
                for column in ("title_fr", "title_de", "title_en", "title_lb", "slug_fr")
            ),
        ]
        permissions = [
            ("publish_release", _("Peut programmer et publier des communiqués")),
            ("view_all_releases", _("Voit et modifie les communiqués de toutes les organisations")),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        """Also remember the fields that place a release in lists, as loaded: a save can then purge the
        cached lists it leaves (``releases.cache_tags``)."""
        instance = super().from_db(db, field_names, values)
        loaded = instance.__dict__  # deferred fields are not there
        instance._listed_as_loaded = {name: loaded[name] for name in LISTED_FIELDS if name in loaded}
        # And its meeting and gallery: a save refreshes the organisations of the old ones too (releases.signals).
        instance._links_as_loaded = {name: loaded[name] for name in ("meeting_id", "gallery_id") if name in loaded}
        return instance

    def save(self, *args, **kwargs):
        for code, _name in settings.LANGUAGES:
            field = f"body_{code}"
            if hasattr(self, field):
                setattr(self, field, sanitise_html(getattr(self, field) or ""))
        super().save(*args, **kwargs)
        update_search_vectors(Release.objects.filter(pk=self.pk))

    def get_absolute_url(self):
        day = timezone.localtime(self.publish_at) if self.publish_at else None
        if day is None:
            return reverse("release-preview", kwargs={"pk": self.pk})
        return reverse(
            "release-detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.localized("slug")},
        )

    def clean(self):
        errors = {}
        original = self.original_language or settings.LANGUAGE_CODE
        for field in ("title", "slug"):
            if not getattr(self, f"{field}_{original}", None):
                errors[f"{field}_{original}"] = _("Obligatoire dans la langue d'origine du communiqué.")
        for code, _name in settings.LANGUAGES:
            slug = getattr(self, f"slug_{code}", None)
            if not slug:
                continue
            clash = Release.objects.exclude(pk=self.pk).filter(**{f"slug_{code}": slug})
            if clash.exists():
                errors[f"slug_{code}"] = _("Cet identifiant d'URL est déjà utilisé par un autre communiqué.")
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            errors["unpublish_at"] = _("La dépublication doit suivre la publication.")
        if errors:
            raise ValidationError(errors)

    def content_language(self, language: str | None = None) -> str:
        """The language a reader of ``language`` gets: theirs if translated, else the original."""
        language = language or get_language() or settings.LANGUAGE_CODE
        return language if getattr(self, f"title_{language}", None) else self.original_language

    def localized(self, field: str, language: str | None = None) -> str:
        """``field`` in the reader's language, falling back to the release's own language."""
        return getattr(self, f"{field}_{self.content_language(language)}", None) or ""

    @property
    def display_title(self) -> str:
        return self.localized("title")

    @property
    def display_lead(self) -> str:
        return self.localized("lead")

    @property
    def localized_body(self) -> str:
        return self.localized("body")

    @property
    def display_withdrawal_note(self) -> str:
        return self.localized("withdrawal_note")

    @property
    def last_public_update(self):
        """The "Dernière mise à jour" stamp: the last major correction, else the first publication."""
        return self.public_updated_at or self.first_published_at or self.publish_at

    @property
    def translated_languages(self) -> list[str]:
        """Languages with a title of their own (not a fallback)."""
        return [code for code, _name in settings.LANGUAGES if getattr(self, f"title_{code}", None)]


def refresh_organisation_ids(releases: models.QuerySet) -> int:
    """Store the ids of each release's issuing organisations, lead first (derived data, one UPDATE)."""
    from django.contrib.postgres.expressions import ArraySubquery

    issuers = ReleaseOrganisation.objects.filter(release=models.OuterRef("pk")).order_by("position")
    return releases.update(organisation_ids=ArraySubquery(issuers.values("organisation_id")))


class ReleaseOrganisation(models.Model):
    """An issuing organisation of a release; ``position`` 1 is the lead."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="issuers")
    organisation = models.ForeignKey(
        "people.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=1)

    class Meta:
        verbose_name = _("organisation émettrice")
        verbose_name_plural = _("organisations émettrices (la première mène)")
        ordering = ["release", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "position"],
                name="unique_releaseorganisation_position",
                deferrable=Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(fields=["release", "organisation"], name="unique_releaseorganisation"),
        ]

    def __str__(self):
        return f"{self.position}. {self.organisation}"


class ReleaseUpdate(models.Model):
    """A correction of a published release. Major ones, with their note, are listed publicly."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="updates")
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    note = models.TextField(_("note"), blank=True, help_text=_("Publique pour une modification majeure."))
    internal_note = models.TextField(_("note interne"), blank=True, help_text=_("Jamais publiée."))
    major = models.BooleanField(_("modification majeure"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mise à jour")
        verbose_name_plural = _("mises à jour")
        ordering = ["release", "-published_at"]

    def __str__(self):
        return f"{self.published_at:%Y-%m-%d %H:%M} {'major' if self.major else 'minor'}"

    @property
    def display_note(self) -> str:
        """The public note in the reader's language, else in the language the release is shown in."""
        language = self.release.content_language()
        return getattr(self, f"note_{get_language()}", None) or getattr(self, f"note_{language}", None) or ""


class ReleaseSlugHistory(models.Model):
    """A public URL a release had before its slug or date changed, answered with a 301."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="old_slugs")
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    path = models.CharField(max_length=400, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")

    def __str__(self):
        return self.path


def preview_token() -> str:
    return secrets.token_urlsafe(32)


def preview_expiry():
    return timezone.now() + timedelta(days=7)


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, at=None):
        """Links that still open their release: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class PreviewLink(models.Model):
    """A secret address showing one unpublished release to someone without an account, until it expires."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=preview_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"), default=preview_expiry)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    #: Who the link was made for, when it is personal (a journalist's embargoed copy): named in the
    #: audit entry of every opening, so a leak can be traced.
    recipient = models.CharField(_("destinataire"), max_length=300, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien d'aperçu")
        verbose_name_plural = _("liens d'aperçu")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.release_id} → {self.expires_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("release-shared-preview", kwargs={"token": self.token})

    def is_active(self, at=None) -> bool:
        return self.revoked_at is None and self.expires_at > (at or timezone.now())
