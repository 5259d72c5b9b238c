"""Full-text search: stored vectors per language, web-search syntax, accents, snippets, odd queries."""

import pytest

from core.publication import Status
from releases.models import Release
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/fr/recherche/"


def found(client, q, url=URL, **params):
    response = client.get(url, {"q": q, **params})
    assert response.status_code == 200, response.content[:500]
    return [release.localized("title") for release in response.context["releases"]]


@pytest.fixture
def corpus(db):
    factories.release(
        title_fr="Protection temporaire prolongée",
        body_fr="<p>Les éléments de la protection temporaire des personnes déplacées d'Ukraine.</p>",
    )
    factories.release(title_fr="Alliance des ports", body_fr="<p>La criminalité organisée dans les ports.</p>")
    factories.release(
        title_fr="Ports et stupéfiants", body_fr="<p>Saisies de stupéfiants dans les ports européens.</p>"
    )
    factories.release(
        original_language="de",
        title_fr=None,
        slug_fr=None,
        title_de="Künstliche Intelligenz",
        slug_de="kuenstliche-intelligenz",
        body_de="<p>Deepfakes und Wahlen: die Minister beraten über Maßnahmen.</p>",
    )
    factories.release(title_fr="Réunion secrète", body_fr="<p>ports</p>", status=Status.DRAFT, publish_at=None)


def test_vectors_are_stored_on_save(corpus):
    release = Release.objects.get(title_fr="Alliance des ports")
    assert release.search_fr and "port" in release.search_fr
    assert Release.objects.get(title_de="Künstliche Intelligenz").search_de


def test_accent_insensitive_and_stemmed(client, corpus):
    assert found(client, "elements") == ["Protection temporaire prolongée"]
    assert found(client, "criminalite organisee") == ["Alliance des ports"]
    assert found(client, "stupefiant") == ["Ports et stupéfiants"]


def test_web_search_syntax(client, corpus):
    assert sorted(found(client, "ports")) == ["Alliance des ports", "Ports et stupéfiants"]
    assert found(client, "ports -stupéfiants") == ["Alliance des ports"]
    assert found(client, '"criminalité organisée"') == ["Alliance des ports"]
    assert sorted(found(client, "ukraine or stupéfiants")) == [
        "Ports et stupéfiants",
        "Protection temporaire prolongée",
    ]


def test_ranked_title_first(client, corpus):
    assert found(client, "ports")[0] == "Ports et stupéfiants"


def test_other_languages_are_searched_and_shown_in_their_own_language(client, corpus):
    assert found(client, "Wahlen") == ["Künstliche Intelligenz"]
    html = client.get(URL, {"q": "Wahlen"}).content.decode()
    assert 'lang="de"' in html


def test_snippets_highlight_the_terms(client, corpus):
    html = client.get(URL, {"q": "stupéfiants"}).content.decode()
    assert "<mark>stupéfiants</mark>" in html


def test_search_combines_with_filters(client, corpus):
    assert found(client, "ports", url="/fr/communiques/", kind="speech") == []
    assert len(found(client, "ports", url="/fr/communiques/", kind="communique")) == 2


def test_drafts_are_never_found(client, corpus):
    assert "Réunion secrète" not in found(client, "ports")


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "x" * 10_000,
        "ports " * 2000,
        '"""',
        "-",
        "- - -",
        "or or or",
        "!(&|:*)<->",
        "'; DROP TABLE releases_release; --",
        "\x00\x01",
        "«»–—…",
        "ports & | ! <-> : *",
        "%_\\",
    ],
)
def test_odd_queries_get_an_answer(client, corpus, query):
    for url in (URL, "/fr/communiques/", "/api/v1/releases/"):
        assert client.get(url, {"q": query}).status_code == 200


def test_people_names_tolerate_typos(client, demo):
    response = client.get(URL, {"q": "Leon Glodne"})
    assert [person.slug for person in response.context["people"]] == ["leon-gloden"]
    response = client.get(URL, {"q": "Verlindn"})
    assert [person.slug for person in response.context["people"]] == ["annelies-verlinden"]


def test_a_search_ranks_the_most_recent_matches_and_says_so_on_its_last_page(client, corpus, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from releases import search

    monkeypatch.setattr(search, "MAX_RANKED", 3)
    now = timezone.now()
    for days in range(5):
        factories.release(title_fr=f"Budget {days}", publish_at=now - timedelta(days=days + 1))
    response = client.get(URL, {"q": "budget"})
    assert sorted(release.localized("title") for release in response.context["releases"]) == [
        "Budget 0",
        "Budget 1",
        "Budget 2",
    ]
    assert "Seuls les 3 communiqués les plus récents" in response.content.decode()
    # Older matches are reached with dates; a search below the limit says nothing of it.
    day = timezone.localdate(now - timedelta(days=4))
    older = client.get(URL, {"q": "budget", "date_to": day.isoformat()})
    assert [release.localized("title") for release in older.context["releases"]] == ["Budget 3", "Budget 4"]
    assert "Seuls les" not in older.content.decode()
