"""Every public page type renders from the demo content, in every language."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

LANGUAGES = ["fr", "de", "en", "lb"]


def page_urls(release):
    return [
        reverse("home"),
        reverse("release-list"),
        release.get_absolute_url(),
        reverse("person-detail", kwargs={"slug": "leon-gloden"}),
        reverse("organisation-detail", kwargs={"slug": "maint"}),
        reverse("meeting-agenda"),
        reverse("meeting-detail", kwargs={"slug": "reunion-informelle-jai-2024-01"}),
        reverse("gallery-list"),
        reverse("gallery-detail", kwargs={"slug": "reunion-informelle-jai-janvier-2024"}),
        reverse("tag-detail", kwargs={"slug": "asile"}),
        reverse("search") + "?q=migration",
        reverse("accessibility"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_renders(client, demo, language):
    with translation.override(language):
        urls = page_urls(demo)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert f'<html lang="{language}">' in html, url
        assert 'href="#main-content"' in html, url
