"""Organisations, people, the roles they hold and when they held them.

Releases, captions and meeting participations point at an :class:`Appointment` (a person in a role
for a period), never at a bare person, so an old release keeps the role held on its day even after
a reshuffle.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.html import sanitise_biography


def full_name_expression() -> Concat:
    """SQL for "given-name family-name": the same expression in the name-search index and its queries."""
    return Concat("given_name", Value(" "), "family_name", output_field=models.TextField())


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministère")
        ADMINISTRATION = "administration", _("Administration")
        AGENCY = "agency", _("Agence")
        FOREIGN_GOVERNMENT = "foreign_government", _("Gouvernement étranger")
        EU_INSTITUTION = "eu_institution", _("Institution européenne")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=255)
    acronym = models.CharField(_("sigle"), max_length=30, blank=True)
    byline_name = models.CharField(
        _("nom dans la signature"),
        max_length=255,
        blank=True,
        help_text=_(
            "Le nom tel qu'il suit « Communiqué par » dans chaque langue, par exemple "
            "« le ministère des Affaires intérieures » ; en allemand « des Ministeriums für innere "
            "Angelegenheiten ». Vide : le nom est utilisé."
        ),
    )
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.MINISTRY)
    country = models.CharField(_("pays"), max_length=2, default="LU", help_text=_("Code ISO 3166 à deux lettres."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("organisation parente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text=_("Une organisation renommée est une nouvelle organisation ; l'ancienne pointe vers elle."),
    )
    closed_on = models.DateField(_("fermée le"), null=True, blank=True)
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("organisation-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Une organisation ne peut pas se succéder à elle-même.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Une organisation ne peut pas être sa propre parente.")})

    @property
    def byline(self) -> str:
        """The name as it follows "Communiqué par", in the active language."""
        return self.byline_name or self.name


class Person(models.Model):
    given_name = models.CharField(_("prénom"), max_length=100)
    family_name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)
    biography = models.TextField(_("biographie"), blank=True)
    portrait = models.ForeignKey(
        "media.Photo",
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portrait_of",
    )

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            # Typo-tolerant name search (pg_trgm).
            GinIndex(fields=["family_name"], opclasses=["gin_trgm_ops"], name="person_family_name_trgm"),
            GinIndex(fields=["given_name"], opclasses=["gin_trgm_ops"], name="person_given_name_trgm"),
            GinIndex(OpClass(full_name_expression(), name="gin_trgm_ops"), name="person_full_name_trgm"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        for code, _name in settings.LANGUAGES:
            field = f"biography_{code}"
            if hasattr(self, field):
                setattr(self, field, sanitise_biography(getattr(self, field) or ""))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("person-detail", kwargs={"slug": self.slug})

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def role_on(self, day: date) -> Appointment | None:
        """The appointment this person held on ``day`` (the earliest-started if several), or None."""
        return self.appointments.valid_on(day).select_related("role__organisation").order_by("started_on").first()


class Role(models.Model):
    class Kind(models.TextChoices):
        HEAD_OF_GOVERNMENT = "head_of_government", _("Chef de gouvernement")
        MINISTER = "minister", _("Ministre")
        SECRETARY_OF_STATE = "secretary_of_state", _("Secrétaire d'État")
        OFFICIAL = "official", _("Haut fonctionnaire")
        DIRECTOR = "director", _("Directeur ou directrice")
        OTHER = "other", _("Autre")

    title = models.CharField(
        _("intitulé"),
        max_length=255,
        help_text=_("Tel qu'écrit dans un communiqué : « ministre des Affaires intérieures »."),
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="roles"
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.MINISTER)

    class Meta:
        verbose_name = _("fonction")
        verbose_name_plural = _("fonctions")
        ordering = ["title"]

    def __str__(self):
        return self.title


class DateRange(Func):
    """``daterange(start, end, '[]')``: both ends inclusive, an open end when ``end`` is NULL."""

    function = "DATERANGE"
    output_field = DateRangeField()


class AppointmentQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        """Appointments held on ``day``: started on or before it, not ended before it."""
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day))

    def current(self):
        from django.utils import timezone

        return self.valid_on(timezone.localdate())


class Appointment(models.Model):
    """A person in a role from ``started_on`` to ``ended_on`` (both inclusive; open while current)."""

    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="appointments"
    )
    role = models.ForeignKey(Role, verbose_name=_("fonction"), on_delete=models.PROTECT, related_name="appointments")
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True, help_text=_("Vide tant que la fonction est exercée."))

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["person__family_name", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="appointment_ends_after_start",
                violation_error_message=_("La fin d'une nomination ne peut pas précéder son début."),
            ),
            ExclusionConstraint(
                name="appointment_no_overlap_same_role",
                expressions=[
                    (F("person"), RangeOperators.EQUAL),
                    (F("role"), RangeOperators.EQUAL),
                    (DateRange("started_on", "ended_on", Value("[]")), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("Cette personne exerce déjà cette fonction sur cette période."),
            ),
        ]
        indexes = [models.Index(fields=["person", "started_on", "ended_on"])]

    def __str__(self):
        return f"{self.person.full_name}, {self.role.title}"

    @property
    def label(self) -> str:
        """ "Léon Gloden, ministre des Affaires intérieures", in the active language."""
        return f"{self.person.full_name}, {self.role.title}"

    def clean(self):
        errors = {}
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("La fin d'une nomination ne peut pas précéder son début.")
        if self.person_id and self.role_id and self.started_on and not errors:
            overlapping = Appointment.objects.filter(person_id=self.person_id, role_id=self.role_id).exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.started_on))
            if self.ended_on:
                overlapping = overlapping.filter(started_on__lte=self.ended_on)
            clash = overlapping.first()
            if clash:
                errors["started_on"] = _(
                    "Cette personne exerce déjà cette fonction sur cette période (du %(start)s au %(end)s)."
                ) % {"start": clash.started_on, "end": clash.ended_on or _("aujourd'hui")}
        if errors:
            raise ValidationError(errors)


class OrganisationMembership(models.Model):
    """A press officer or editor writing for an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utilisateur"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} → {self.organisation}"
