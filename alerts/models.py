"""E-mail alerts (subscriptions and their deliveries) and the journalists' embargoed distribution.

A subscription follows one filter of the release list (kind, organisation, person, tag, meeting, or
none of them: every release). Its filter is also stored as ``keys``, a sorted array of
``"<filter>:<value>"`` strings with a GIN index: a release has its own keys (its kind, issuers,
people, tags and meeting, :func:`alerts.matching.release_keys`), and the subscriptions it matches are
those whose keys are all among the release's, ``keys <@ release_keys``, one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("À chaque publication")
    DAILY = "daily", _("Un résumé par jour")


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed, not ended, and the address not suspended after bounces."""
        return self.filter(confirmed_at__isnull=False, suspended_at__isnull=True)

    def matching(self, keys: list[str]):
        """The active subscriptions a release with ``keys`` matches: each of their keys is one of the release's."""
        return self.active().filter(keys__contained_by=sorted(keys))


class Subscription(models.Model):
    address = models.EmailField(_("adresse e-mail"), max_length=254, db_index=True)
    language = models.CharField(_("langue"), max_length=5, choices=settings.LANGUAGES, default="fr")
    kind = models.CharField(_("type"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("personne"), null=True, blank=True, on_delete=models.CASCADE
    )
    tag = models.ForeignKey("newsroom.Tag", verbose_name=_("thème"), null=True, blank=True, on_delete=models.CASCADE)
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("réunion"), null=True, blank=True, on_delete=models.CASCADE
    )
    # Subscribed on a ministry's site: only what that site carries (None: the portal, every release).
    site = models.ForeignKey(
        "sites.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: Derived from the filter fields above on save: what the matching query reads.
    keys = ArrayField(models.CharField(max_length=60), default=list, blank=True, editable=False)
    frequency = models.CharField(_("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    wants_updates = models.BooleanField(_("aussi les mises à jour importantes"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    #: Permanent delivery failures (5xx) of this address; at ALERTS_MAX_BOUNCES it is suspended.
    bounces = models.PositiveIntegerField(default=0)
    suspended_at = models.DateTimeField(_("suspendu le"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [models.UniqueConstraint(fields=["address", "keys"], name="alerts_subscription_address_keys")]
        indexes = [
            GinIndex(
                fields=["keys"], name="alerts_subscription_keys_idx", condition=models.Q(confirmed_at__isnull=False)
            ),
        ]
        permissions = [("export_subscription", _("Peut exporter les adresses des abonnés (demande d'accès)"))]

    def __str__(self):
        return f"{self.pk}"

    def save(self, *args, **kwargs):
        self.address = self.address.strip().lower()
        self.keys = self.filter_keys()
        super().save(*args, **kwargs)

    def filter_keys(self) -> list[str]:
        keys = []
        if self.kind:
            keys.append(f"kind:{self.kind}")
        for name in ("site", "organisation", "person", "tag", "meeting"):
            value = getattr(self, f"{name}_id")
            if value:
                keys.append(f"{name}:{value}")
        return sorted(keys)

    def filter_params(self) -> dict[str, str]:
        """The filter as the release list's query string."""
        params = {}
        if self.kind:
            params["kind"] = self.kind
        for name in ("organisation", "person", "tag", "meeting"):
            target = getattr(self, name)
            if target is not None:
                params[name] = target.slug
        return params


class Delivery(models.Model):
    """One message for one subscription about one release: recorded, so it is sent once."""

    class Kind(models.TextChoices):
        ALERT = "alert", _("Alerte")
        UPDATE = "update", _("Mise à jour")
        DIGEST = "digest", _("Résumé quotidien")

    class State(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec définitif")
        SKIPPED = "skipped", _("Non envoyé")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALERT)
    #: For updates: the ReleaseUpdate announced; for digests: the local day (ordinal) they cover. 0 otherwise.
    reference = models.BigIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "release", "kind", "reference"], name="alerts_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["release", "kind", "state", "id"], name="alerts_delivery_batch_idx")]

    def __str__(self):
        return f"{self.kind} {self.release_id} → {self.subscription_id}: {self.state}"


class JournalistList(models.Model):
    """Accredited journalists an editor may send embargoed releases to."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("liste de journalistes")
        verbose_name_plural = _("listes de journalistes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Journalist(models.Model):
    journalist_list = models.ForeignKey(
        JournalistList, verbose_name=_("liste"), on_delete=models.CASCADE, related_name="journalists"
    )
    name = models.CharField(_("nom"), max_length=200)
    outlet = models.CharField(_("média"), max_length=200)
    address = models.EmailField(_("adresse e-mail"))
    languages = ArrayField(
        models.CharField(max_length=5, choices=settings.LANGUAGES),
        verbose_name=_("langues"),
        default=list,
        help_text=_("Dans l'ordre de préférence : fr, de, en, lb."),
    )

    class Meta:
        verbose_name = _("journaliste")
        verbose_name_plural = _("journalistes")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["journalist_list", "address"], name="alerts_journalist_once")]

    def __str__(self):
        return f"{self.name} ({self.outlet})"

    @property
    def language(self) -> str:
        return self.languages[0] if self.languages else settings.LANGUAGE_CODE


class EmbargoSend(models.Model):
    """One embargoed copy of a release sent to one journalist, with the personal preview link it carries."""

    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="embargo_sends")
    journalist = models.ForeignKey(Journalist, on_delete=models.SET_NULL, null=True, related_name="sends")
    #: Kept even if the journalist is removed from the list, so a leak can still be traced.
    address = models.EmailField()
    journalist_name = models.CharField(max_length=200)
    outlet = models.CharField(max_length=200)
    language = models.CharField(max_length=5)
    preview_link = models.OneToOneField("releases.PreviewLink", on_delete=models.PROTECT, related_name="embargo_send")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("envoi sous embargo")
        verbose_name_plural = _("envois sous embargo")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.release_id} → {self.journalist_name} ({self.outlet})"
