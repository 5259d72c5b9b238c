"""Every payload of the corpus, in every field a press officer fills and every public query parameter:
the pages render (never 500) and carry no element or attribute that could run it.

The same corpus runs in Chromium in tests/browser/test_xss.py, where nothing may execute.
"""

import json
from xml.etree import ElementTree

import pytest

from core.html import safe_url, sanitise_html
from tests.security import corpus
from tests.security.checks import PAYLOADS, feed_and_api_urls, html_problems, query_urls

pytestmark = pytest.mark.django_db


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rich_text_sanitiser_keeps_nothing_executable(payload):
    cleaned = sanitise_html(payload)
    assert not html_problems(cleaned), cleaned
    assert "<script" not in cleaned.lower()


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://example.lu/", True),
        ("http://example.lu/", True),
        ("mailto:presse@example.lu", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("//evil.example/", False),
    ],
)
def test_safe_url_allows_only_http_https_mailto(url, kept):
    assert bool(safe_url(url)) is kept


def test_every_field_of_every_public_page_is_escaped(client):
    planted = corpus.plant_all()
    failures = {}
    for item in planted:
        for url in corpus.pages(item):
            response = client.get(url)
            assert response.status_code == 200, url
            problems = html_problems(response.content.decode())
            if problems:
                failures[url] = problems
    for url in ("/fr/", "/fr/communiques/", "/fr/communiques/?page=2", "/fr/reunions/", "/fr/galeries/"):
        response = client.get(url)
        assert response.status_code == 200, url
        if problems := html_problems(response.content.decode()):
            failures[url] = problems
    assert not failures, failures


@pytest.mark.parametrize("number", range(1, len(PAYLOADS) + 1))
def test_every_query_parameter_is_escaped(client, number):
    payload = PAYLOADS[number - 1]
    for url in query_urls(payload):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        assert not html_problems(response.content.decode()), url
    for url in feed_and_api_urls(payload):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        if "json" in response["Content-Type"]:
            json.loads(response.content)
        elif "xml" in response["Content-Type"]:
            ElementTree.fromstring(response.content)  # well formed: the payload was escaped
        else:
            assert not html_problems(response.content.decode()), url
