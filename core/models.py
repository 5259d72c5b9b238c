"""Site-wide models: translatable tags and the editorial audit log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import GenericTaggedItemBase, TagBase


class Tag(TagBase):
    """A theme ("migration", "asile"). The name is translated (``name_fr``, ``name_de``...); the slug is not."""

    class Meta:
        verbose_name = _("mot-clé")
        verbose_name_plural = _("mots-clés")
        ordering = ["name"]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("tag-detail", kwargs={"slug": self.slug})


class TaggedItem(GenericTaggedItemBase):
    """Links a tag to a release, a meeting or a gallery."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("élément étiqueté")
        verbose_name_plural = _("éléments étiquetés")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "tag"], name="unique_tag_per_object"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class AuditEntry(models.Model):
    """One editorial action, named with a dotted verb (``releases.release.published``)."""

    action = models.CharField(max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des actions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
