"""Language prefixes, the switcher, fallback to the release's own language, hreflang, closing lines."""

import re

import pytest
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


def test_release_in_a_language_it_lacks_is_shown_in_its_original_with_a_notice(client, demo):
    with translation.override("de"):
        url = demo.get_absolute_url()
    assert url.startswith("/de/communiques/2024/01/25/")
    html = client.get(url).content.decode()
    assert '<html lang="de">' in html
    assert '<article class="release" lang="fr">' in html
    assert "Diese Pressemitteilung liegt in Ihrer Sprache nicht vor" in html
    assert "Léon Gloden à la réunion informelle" in html


def test_a_german_only_release_falls_back_to_german_not_to_the_site_default(client, db):
    release = factories.release(
        original_language="de", title_de="Nur auf Deutsch", slug_de="nur-auf-deutsch", title_fr=None, slug_fr=None
    )
    with translation.override("fr"):
        url = release.get_absolute_url()
    assert url.endswith("/nur-auf-deutsch/")
    html = client.get(url).content.decode()
    assert 'lang="de"' in html and "Nur auf Deutsch" in html


def test_hreflang_lists_only_real_translations(client, demo):
    html = client.get(demo.get_absolute_url()).content.decode()
    hreflangs = re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)"', html)
    assert sorted(code for code, _url in hreflangs) == ["en", "fr"]
    assert any(url.endswith("/en/communiques/2024/01/25/leon-gloden-informal-jha-council/") for _c, url in hreflangs)


def test_language_switcher_leads_to_the_same_page(client, demo):
    html = client.get(demo.get_absolute_url()).content.decode()
    switcher = html[html.index('class="language-switcher"') :]
    assert 'href="/en/communiques/2024/01/25/leon-gloden-informal-jha-council/"' in switcher
    assert 'href="/de/communiques/2024/01/25/leon-gloden-a-la-reunion-informelle-du-conseil-jai/"' in switcher
    html = client.get("/fr/personnes/leon-gloden/").content.decode()
    assert 'href="/lb/personnes/leon-gloden/"' in html


@pytest.mark.parametrize(
    ("language", "closing"),
    [
        ("fr", "Communiqué par le ministère des Affaires intérieures"),
        ("de", "Pressemitteilung des Ministeriums für innere Angelegenheiten"),
        ("en", "Press release by the Ministry of Home Affairs"),
        ("lb", "Communiqué vum Ministère fir bannenzeg Affären"),
    ],
)
def test_closing_line_in_each_language(client, demo, language, closing):
    with translation.override(language):
        url = demo.get_absolute_url()
    assert closing in client.get(url).content.decode()


def test_joint_release_names_each_ministry_and_a_renamed_one_keeps_its_old_name(client, db):
    old = factories.organisation(name_fr="Ministère de l'Intérieur", byline_name_fr="le ministère de l'Intérieur")
    new = factories.organisation(
        name_fr="Ministère des Affaires intérieures", byline_name_fr="le ministère des Affaires intérieures"
    )
    old.successor = new
    old.save()
    justice = factories.organisation(byline_name_fr="le ministère de la Justice")
    release = factories.release(organisations=[old, justice])
    with translation.override("fr"):
        url = release.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Communiqué par le ministère de l&#x27;Intérieur et le ministère de la Justice" in html


def test_luxembourgish_dates_on_the_page(client, demo):
    with translation.override("lb"):
        url = demo.get_absolute_url()
    html = client.get(url).content.decode()
    assert "25. Januar 2024" in html


def test_list_marks_titles_shown_in_another_language(client, demo):
    html = client.get("/de/communiques/").content.decode()
    assert 'class="release-title" lang="fr"' in html


@pytest.mark.parametrize(("language", "before_colon"), [("fr", " :"), ("de", ":"), ("en", ":"), ("lb", ":")])
def test_the_feeds_per_type_follow_each_languages_colon(client, db, language, before_colon):
    """French sets a space before a colon; German, English and Luxembourgish do not."""
    html = client.get(f"/{language}/communiques/").content.decode()
    feeds = html.split('class="kind-feeds"')[1].split("</section>")[0]
    labels = re.findall(r"<li>([^<]*) <a href=", feeds)
    assert len(labels) == 5, feeds
    assert all(label.endswith(before_colon) and not label.endswith(" " + before_colon) for label in labels), labels
