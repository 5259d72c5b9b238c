"""Cache tags of the kernel's tags (themes): a change purges the pages that show or list them."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from core import pagecache
from core.models import Tag, TaggedItem


def _tag_changed(instance: Tag, **kwargs) -> Iterable[str]:
    return {f"tag:{instance.pk}", "choices"}


def _tagged_item_changed(instance, action: str | None = None, pk_set=None, **kwargs) -> Iterable[str] | None:
    """A tag link saved or deleted, or (``m2m_changed`` from taggit's manager, ``instance`` being the
    tagged item) tags added to or removed from an item: the item's page (``release:12``, ``meeting:3``,
    ``gallery:4``: its model's name) and the tags' lists."""
    if action is None:
        item = f"{ContentType.objects.get_for_id(instance.content_type_id).model}:{instance.object_id}"
        tag_ids = {instance.tag_id}
    elif pk_set is None:
        return None  # cleared: which tags it had is gone, forget everything
    else:
        item, tag_ids = f"{instance._meta.model_name}:{instance.pk}", pk_set
    return {item, "choices", *(f"list:tag:{pk}" for pk in tag_ids)}


def register() -> None:
    pagecache.register_tagger(Tag, _tag_changed)
    pagecache.register_tagger(TaggedItem, _tagged_item_changed)
