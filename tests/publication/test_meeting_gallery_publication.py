"""Meetings and galleries: only an editor makes them public; each change is stamped and recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import entries_for
from tests import factories
from tests.publication.formdata import form_data, text

pytestmark = pytest.mark.django_db

MODELS = {"meeting": ("meetings", factories.meeting), "gallery": ("media", factories.gallery)}


def open_form(client, model, obj):
    app, _factory = MODELS[model]
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    return url, form_data(client.get(url).content.decode(), form_id=f"{model}_form")


def local(moment):
    value = timezone.localtime(moment)
    return value.strftime("%d/%m/%Y"), value.strftime("%H:%M")


def publish_fields(data, moment):
    day, time = local(moment)
    data.update({"status": "published", "publish_at_0": day, "publish_at_1": time, "_continue": "1"})
    return data


@pytest.mark.parametrize("model", MODELS)
def test_a_press_officer_cannot_publish_a_meeting_or_gallery(client, press_officer_a, model):
    obj = MODELS[model][1]()
    client.force_login(press_officer_a)
    url, data = open_form(client, model, obj)
    assert data, f"the press officer should be able to open the {model} form"
    response = client.post(url, publish_fields(data, timezone.now() - timedelta(minutes=5)))
    assert response.status_code == 200
    assert "Seul un éditeur peut programmer, publier ou retirer." in text(response)
    obj.refresh_from_db()
    assert obj.status == "draft" and obj.first_published_at is None


@pytest.mark.parametrize("model", MODELS)
def test_an_editor_publishes_and_the_change_is_stamped_and_recorded(client, editor_a, model):
    obj = MODELS[model][1]()
    client.force_login(editor_a)
    url, data = open_form(client, model, obj)
    moment = (timezone.now() - timedelta(minutes=5)).replace(second=0, microsecond=0)
    response = client.post(url, publish_fields(data, moment))
    assert response.status_code == 302, text(response)[:3000]
    obj.refresh_from_db()
    assert obj.status == "published"
    assert obj.first_published_at == moment  # its publish_at, not the moment of the save
    actions = [entry.action for entry in entries_for(obj)]
    assert f"{obj._meta.label_lower}.published" in actions
    assert entries_for(obj).first().actor == editor_a
