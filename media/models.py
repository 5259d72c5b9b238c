"""Press photos, the people they show, galleries and resized renditions."""

from __future__ import annotations

import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Deferrable
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.models import TaggedItem
from core.organisations import OrganisationIds
from core.publication import Publishable


def original_upload_to(instance: Photo, filename: str) -> str:
    """An unguessable name for the private original, keeping only a safe extension."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".jpg", ".jpeg", ".png", ".webp", ".avif", ".heic"}:
        suffix = ".bin"
    return f"originals/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}{suffix}"


def rendition_upload_to(instance: Rendition, filename: str) -> str:
    return f"renditions/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}-{instance.width}.{instance.format}"


class Photo(models.Model):
    image = models.ImageField(_("image"), upload_to=original_upload_to, max_length=200)
    width = models.PositiveIntegerField(_("largeur"), editable=False, default=0, help_text=_("Après orientation EXIF."))
    height = models.PositiveIntegerField(_("hauteur"), editable=False, default=0)
    file_hash = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True, db_index=True, editable=False)
    original_filename = models.CharField(_("nom du fichier d'origine"), max_length=255, blank=True, editable=False)
    credit = models.CharField(_("crédit"), max_length=200, help_text=_("Par exemple ©MAINT."))
    creator = models.CharField(_("auteur"), max_length=200, blank=True)
    copyright_notice = models.CharField(_("mention de copyright"), max_length=255, blank=True)
    caption = models.TextField(_("légende"), blank=True)
    caption_is_generated = models.BooleanField(
        _("légende générée"),
        default=False,
        help_text=_("Générée à partir des personnes montrées, dans chaque langue."),
    )
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=500,
        blank=True,
        help_text=_("Ce que montre l'image, pour qui ne la voit pas."),
    )
    taken_at = models.DateTimeField(_("prise le"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    consent_note = models.TextField(_("consentement"), blank=True)
    rights_expire_on = models.DateField(_("droits expirant le"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("téléversée le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    suggested_people = models.JSONField(
        _("personnes lues dans le fichier"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Noms trouvés dans les métadonnées, à confirmer : [{name, person_id}]."),
    )
    appointments = models.ManyToManyField(
        "people.Appointment",
        through="PhotoPerson",
        related_name="photos",
        blank=True,
        verbose_name=_("personnes montrées"),
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["rights_expire_on"], name="photo_rights_expire_idx")]

    def __str__(self):
        return self.caption[:80] or self.original_filename or f"Photo {self.pk}"

    def rights_valid_on(self, day) -> bool:
        """Whether the photo may still be shown on ``day`` (rights end the day before ``rights_expire_on``)."""
        return self.rights_expire_on is None or self.rights_expire_on > day


class PhotoPerson(models.Model):
    """A person shown in a photo, in the role held that day; ``position`` counts from the left (1, 2, ...)."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="people_shown")
    appointment = models.ForeignKey(
        "people.Appointment", verbose_name=_("personne (fonction)"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position depuis la gauche"), default=1)

    class Meta:
        verbose_name = _("personne montrée")
        verbose_name_plural = _("personnes montrées (de gauche à droite)")
        ordering = ["photo", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "position"], name="unique_photoperson_position", deferrable=Deferrable.DEFERRED
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.appointment}"


class Gallery(Publishable):
    title = models.CharField(_("titre"), max_length=255)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    photos = models.ManyToManyField(Photo, through="GalleryItem", related_name="galleries", verbose_name=_("photos"))
    tags = TaggableManager(through=TaggedItem, blank=True, verbose_name=_("mots-clés"))
    # Derived on save: the issuers of the releases carrying the gallery (a source handed down by
    # ``releases.apps``); the sites carrying it read it (core.publication).
    organisation_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("galerie")
        verbose_name_plural = _("galeries")
        ordering = ["-publish_at", "-id"]
        indexes = [GinIndex(fields=["organisation_ids"], name="gallery_organisation_ids_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("gallery-detail", kwargs={"slug": self.slug})


class GalleryItem(models.Model):
    gallery = models.ForeignKey(Gallery, on_delete=models.CASCADE, related_name="items")
    photo = models.ForeignKey(Photo, verbose_name=_("photo"), on_delete=models.PROTECT, related_name="gallery_items")
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        verbose_name = _("photo de la galerie")
        verbose_name_plural = _("photos de la galerie")
        ordering = ["gallery", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["gallery", "position"], name="unique_galleryitem_position", deferrable=Deferrable.DEFERRED
            ),
            models.UniqueConstraint(fields=["gallery", "photo"], name="unique_galleryitem_photo"),
        ]

    def __str__(self):
        return f"{self.position}. {self.photo}"


class Rendition(models.Model):
    """A resized copy of a photo, stripped of personal metadata. Generated once, in the background."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"
        AVIF = "avif", "AVIF"

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=Format.choices)
    file = models.FileField(upload_to=rendition_upload_to, max_length=200, unique=True)
    size_bytes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rendu")
        verbose_name_plural = _("rendus")
        ordering = ["photo", "format", "width"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "width", "format"], name="unique_rendition_size_format"),
        ]

    def __str__(self):
        return f"{self.photo_id} {self.width}w {self.format}"


#: The organisations a gallery is stored with; its sources come from above (``releases.apps``).
organisations = OrganisationIds(Gallery)
