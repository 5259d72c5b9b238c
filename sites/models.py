"""Sites: the central portal and each ministry's own site, served by one installation.

A site is chosen by the request's host (``sites.middleware``). A ministry's site carries what its
organisation or one of the organisations under it issues or takes part in (``organisation_ids``, derived
on save); the portal (no organisation) carries everything.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.models import Organisation

#: What may be typed as a host name: lower-case labels of letters, digits and hyphens, no port.
host_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
    _("Un nom d'hôte en minuscules, sans « https:// », sans port ni chemin : « maint.gouvernement.lu »."),
)
colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Une couleur en hexadécimal à six chiffres, par exemple « #00538A ».")
)


DEFAULT_ACCENT = "#00538A"
LOGO_FOLDER = "sites"


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``#rrggbb`` against white (links and buttons are drawn on white)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


class Site(models.Model):
    name = models.CharField(
        _("nom"),
        max_length=255,
        help_text=_("Tel qu'il s'affiche en tête du site : « Ministère des Affaires intérieures »."),
    )
    short_name = models.CharField(_("nom court"), max_length=60, blank=True, help_text=_("Par exemple « MAINT »."))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sites",
        help_text=_("Vide : le portail, qui montre les communiqués de toutes les organisations."),
    )
    accent_colour = models.CharField(
        _("couleur d'accent"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[colour_validator],
        help_text=_("Liens et bandeau ; assez foncée pour être lue sur du blanc (contraste d'au moins 4,5:1)."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=f"{LOGO_FOLDER}/",
        blank=True,
        help_text=_("PNG, JPEG ou WebP ; affiché à 48 pixels de haut."),
    )
    contact = models.TextField(_("contact"), blank=True, help_text=_("Adresse, téléphone, e-mail : en pied de page."))
    # Derived on save (sites.directory): the organisation and every organisation under it. Empty for
    # the portal, which carries everything.
    organisation_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["organisation__name", "name"]
        constraints = [
            # One site per organisation, and one portal (no organisation).
            models.UniqueConstraint(
                Coalesce("organisation", Value(0)),
                name="one_site_per_organisation",
                violation_error_message=_("Cette organisation a déjà un site (ou le portail existe déjà)."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language; a fresh installation's portal has the newsroom's name."""
        return self.name or gettext("Newsroom du gouvernement")

    @property
    def accent(self) -> str:
        """The accent colour for the stylesheet: the stored one when well-formed, else the default."""
        colour = self.accent_colour or ""
        return colour if colour_validator.regex.match(colour) else DEFAULT_ACCENT

    @property
    def accent_dark(self) -> str:
        """A darker shade of the accent (hover, headings, buttons), as ``static/css/site.css`` pairs them."""
        colour = self.accent
        return "#" + "".join(f"{round(int(colour[i : i + 2], 16) * 0.66):02x}" for i in (1, 3, 5))

    @property
    def logo_path(self) -> str:
        """Where the logo is served (``sites.views.logo``), or "" without one."""
        if not self.logo:
            return ""
        return reverse("site-logo", kwargs={"name": self.logo.name.removeprefix(f"{LOGO_FOLDER}/")})

    def footer_links(self) -> list[SiteLink]:
        """The footer's links, in order (prefetched by the sites directory); none for an unsaved portal."""
        return list(self.links.all()) if self.pk else []

    @property
    def is_portal(self) -> bool:
        return self.organisation_id is None

    @property
    def key(self) -> str:
        """What cached data is kept under for this site (``core.pagecache.fragment_scope``)."""
        return f"site:{self.pk or 0}"

    def clean(self):
        if self.accent_colour and colour_validator.regex.match(self.accent_colour):
            ratio = contrast_with_white(self.accent_colour)
            if ratio < 4.5:
                raise ValidationError(
                    {
                        "accent_colour": _(
                            "Contraste de %(ratio).1f:1 sur du blanc : il faut au moins 4,5:1 pour que les liens "
                            "restent lisibles. Choisissez une teinte plus foncée."
                        )
                        % {"ratio": ratio}
                    }
                )


class SiteHost(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="hosts")
    host = models.CharField(_("nom d'hôte"), max_length=253, unique=True, validators=[host_validator])
    position = models.PositiveSmallIntegerField(
        _("ordre"), default=1, help_text=_("Le premier est l'adresse principale.")
    )

    class Meta:
        verbose_name = _("nom d'hôte")
        verbose_name_plural = _("noms d'hôte")
        ordering = ["site", "position", "pk"]

    def __str__(self):
        return self.host

    def clean(self):
        self.host = (self.host or "").strip().lower().rstrip(".")


class SiteLink(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("libellé"), max_length=120)
    url = models.URLField(_("adresse"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=1)

    class Meta:
        verbose_name = _("lien de pied de page")
        verbose_name_plural = _("liens de pied de page")
        ordering = ["site", "position", "pk"]

    def __str__(self):
        return self.label
