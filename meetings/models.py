"""Meetings releases relate to: EU Councils, bilateral visits, conferences."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Deferrable, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.models import TaggedItem
from core.organisations import OrganisationIds
from core.publication import Publishable


class Meeting(Publishable):
    class Kind(models.TextChoices):
        EU_COUNCIL_FORMAL = "eu_council_formal", _("Conseil de l'UE (formel)")
        EU_COUNCIL_INFORMAL = "eu_council_informal", _("Conseil de l'UE (informel)")
        BILATERAL = "bilateral", _("Rencontre bilatérale")
        CONFERENCE = "conference", _("Conférence")
        VISIT = "visit", _("Visite")
        OTHER = "other", _("Autre")

    title = models.CharField(_("titre"), max_length=255)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    configuration = models.CharField(
        _("formation"), max_length=255, blank=True, help_text=_("Par exemple « Justice et affaires intérieures ».")
    )
    starts_at = models.DateTimeField(_("début"), help_text=_("Heure de Luxembourg."))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True, help_text=_("Heure de Luxembourg."))
    venue = models.CharField(_("lieu"), max_length=255, blank=True)
    city = models.CharField(_("ville"), max_length=255, blank=True)
    country = models.CharField(_("pays"), max_length=2, blank=True, help_text=_("Code ISO 3166 à deux lettres."))
    host = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("hôte"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    description = models.TextField(_("description"), blank=True)
    external_url = models.URLField(_("lien externe"), blank=True)
    appointments = models.ManyToManyField(
        "people.Appointment",
        through="Participation",
        related_name="meetings",
        blank=True,
        verbose_name=_("participants"),
    )
    tags = TaggableManager(through=TaggedItem, blank=True, verbose_name=_("mots-clés"))
    # Derived on save (``organisations`` below): the host, the participants' organisations and the
    # issuers of the releases about the meeting; the sites carrying it read it (core.publication).
    organisation_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at"]
        indexes = [GinIndex(fields=["organisation_ids"], name="meeting_organisation_ids_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("La fin d'une réunion ne peut pas précéder son début."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meeting-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("La fin d'une réunion ne peut pas précéder son début.")})


class Participation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    appointment = models.ForeignKey(
        "people.Appointment", verbose_name=_("participant (fonction)"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=1)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="unique_participation_position", deferrable=Deferrable.DEFERRED
            ),
            models.UniqueConstraint(fields=["meeting", "appointment"], name="unique_participation_appointment"),
        ]

    def __str__(self):
        return f"{self.position}. {self.appointment}"


#: The organisations a meeting is stored with (releases adds its issuers: ``releases.apps``).
organisations = OrganisationIds(Meeting)
organisations.add_source(lambda ids: Meeting.objects.filter(pk__in=ids).values_list("pk", "host_id"))
organisations.add_source(
    lambda ids: Participation.objects.filter(meeting_id__in=ids).values_list(
        "meeting_id", "appointment__role__organisation_id"
    )
)
