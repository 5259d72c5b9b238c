"""The XSS corpus in Chromium: every payload in every field and query parameter, and none runs.

Each payload calls ``__xss(n)`` (a function exposed by the test, so it counts from any frame and
survives navigation) or opens a dialog; both are recorded. After each page loads, the live DOM is also
searched for event-handler attributes, unsafe URL schemes and un-nonced inline scripts.
"""

import pytest

from tests.security import corpus
from tests.security.checks import DOM_PROBLEMS_JS, PAYLOADS, query_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def watched(page):
    fired, dialogs = [], []
    page.expose_function("__xss", lambda number: fired.append(number))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page, fired, dialogs


def visit(page, url, failures):
    response = page.goto(url, wait_until="load")
    assert response.status in (200, 400, 404), (url, response.status)
    # Let autofocus, animations, toggles and timers fire.
    page.wait_for_timeout(20)
    if problems := page.evaluate(DOM_PROBLEMS_JS):
        failures[url] = problems


def test_no_payload_runs_in_any_field(live_server, watched):
    page, fired, dialogs = watched
    planted = corpus.plant_all()
    failures = {}
    visited = 0
    for item in planted:
        for path in corpus.pages(item):
            visit(page, live_server.url + path, failures)
            visited += 1
    for path in ("/fr/", "/fr/communiques/", "/fr/communiques/?page=2", "/fr/reunions/", "/fr/galeries/"):
        visit(page, live_server.url + path, failures)
    page.wait_for_timeout(300)
    assert visited == len(PAYLOADS) * 9
    assert not fired, f"payloads ran: {sorted(set(fired))}"
    assert not dialogs, dialogs
    assert not failures, failures


def test_no_payload_runs_in_any_query_parameter(live_server, watched):
    page, fired, dialogs = watched
    corpus.plant(1, PAYLOADS[0])
    failures = {}
    for payload in PAYLOADS:
        # The search box, every list filter at once, and the page number (the rest run in tests/security/).
        for path in [query_urls(payload)[0], *query_urls(payload)[2:4]]:
            visit(page, live_server.url + path, failures)
    page.wait_for_timeout(300)
    assert not fired, f"payloads ran: {sorted(set(fired))}"
    assert not dialogs, dialogs
    assert not failures, failures


def test_the_watch_sees_a_payload_that_runs(live_server, watched):
    """Control: the same watch reports a payload when it does run (here, outside our pages)."""
    page, fired, dialogs = watched
    page.goto("about:blank")
    page.set_content("<img src=x onerror=__xss(999)>")
    page.wait_for_timeout(200)
    assert fired == [999]
