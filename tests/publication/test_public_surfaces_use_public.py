"""Rule 1: every public surface selects releases, meetings and galleries through public()/public_q().

The source of every public-facing module (views, feeds, sitemaps, API, search, iCal, template tags,
selectors, context processors) is parsed; a selection of a publishable model that does not go through
the one definition of public fails this test, unless it is staff or preview code listed below. Each
function selecting public items must also limit them to the request's site (``on_site``/``on_site_q``),
unless listed in ``SITE_EXEMPT``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

PUBLISHABLE = {"Release", "Meeting", "Gallery"}
ALLOWED_MANAGER_METHODS = {"public", "gone"}
PUBLIC_MODULE = re.compile(
    r"(^|/)(views?|feeds?|sitemaps?|api|search|ical|templatetags/\w+|selectors|serializers|context_processors|sending)"
    r"(\.py|/)"
)
APPS = ("core", "people", "media", "meetings", "releases", "alerts", "website", "api", "newsroom")
#: Staff and preview code: it shows unpublished items on purpose, behind its own checks.
STAFF_CODE = {
    "releases/views.py": {"ReleasePreviewView"},
    "releases/preview.py": {"SharedPreviewView"},
    "media/views.py": {"OriginalFileView"},
    "media/selectors.py": {"preview_gallery_items", "staff_preview_rendition"},
    # Not a selection for sending: whether a release not public yet is still scheduled for later.
    "alerts/sending.py": {"scheduled_later"},
}
STATUS_LOOKUP = re.compile(r"(^|__)(status|unpublish_at)(__|$)")
PUBLISH_TIME_LOOKUP = re.compile(r"(^|__)publish_at(__|$)")


def public_modules() -> list[Path]:
    base = Path(settings.BASE_DIR)
    found = []
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            relative = path.relative_to(base).as_posix()
            if "/migrations/" in relative or "/admin" in relative or relative.startswith(f"{app}/admin"):
                continue
            if PUBLIC_MODULE.search(relative.removeprefix(f"{app}/")):
                found.append(path)
    return found


def _is_now_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "now"


def _is_public_q_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "public_q"


class Checker(ast.NodeVisitor):
    def __init__(self, allowed_classes: set[str]):
        self.allowed_classes = allowed_classes
        self.stack: list[str] = []
        self.problems: list[str] = []

    def report(self, node: ast.AST, message: str) -> None:
        if not any(name in self.allowed_classes for name in self.stack):
            self.problems.append(f"line {node.lineno}: {message}")

    def visit_ClassDef(self, node: ast.ClassDef):
        self.stack.append(node.name)
        methods = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
        for item in node.body:
            if (
                isinstance(item, ast.Assign)
                and any(getattr(target, "id", None) == "model" for target in item.targets)
                and getattr(item.value, "id", None) in PUBLISHABLE
                and not methods & {"get_queryset", "get_object"}
            ):
                self.report(item, f"{node.name}.model = {item.value.id} selects without public()")
        self.generic_visit(node)
        self.stack.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_Call(self, node: ast.Call):
        func = node.func
        # Release.objects.<method>(...) / Release._default_manager.<method>(...)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and func.value.attr in {"objects", "_default_manager", "_base_manager"}
            and getattr(func.value.value, "id", None) in PUBLISHABLE
            and func.attr not in ALLOWED_MANAGER_METHODS
            and not (func.attr in {"filter", "exclude"} and any(_is_public_q_call(arg) for arg in node.args))
        ):
            self.report(node, f"{func.value.value.id}.{func.value.attr}.{func.attr}() bypasses public()")
        # get_object_or_404(Release, ...) / get_list_or_404(Meeting, ...)
        name = getattr(func, "id", getattr(func, "attr", None))
        if (
            name in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and getattr(node.args[0], "id", None) in PUBLISHABLE
        ):
            self.report(node, f"{name}({node.args[0].id}) bypasses public()")
        # a hand-written status filter, or "published before now", anywhere (a date range on an
        # already public queryset, as in a dated archive, is fine)
        if name in {"filter", "exclude", "get", "Q"}:
            for keyword in node.keywords:
                if not keyword.arg:
                    continue
                if STATUS_LOOKUP.search(keyword.arg) or (
                    PUBLISH_TIME_LOOKUP.search(keyword.arg) and _is_now_call(keyword.value)
                ):
                    self.report(node, f"hand-written publication filter {keyword.arg}=")
        self.generic_visit(node)


def problems_in(source: str, allowed_classes: set[str] = frozenset()) -> list[str]:
    checker = Checker(set(allowed_classes))
    checker.visit(ast.parse(source))
    return checker.problems


def test_the_checker_catches_the_ways_around_public():
    """The checker itself: each way around public() is reported, the ways through it are not."""
    bad = """
class ReleaseFeed(Feed):
    def items(self):
        return Release.objects.filter(status="published")[:20]

class MeetingDetail(DetailView):
    model = Meeting

def sitemap_items():
    return Gallery.objects.all()

def person(request, slug):
    release = get_object_or_404(Release, slug_fr=slug)
    return person.releases.filter(status__in=["published"], publish_at__lte=timezone.now())
"""
    found = problems_in(bad)
    assert {problem.split(":")[0] for problem in found} == {f"line {n}" for n in (4, 7, 10, 13, 14)}, found
    good = """
class ReleaseFeed(Feed):
    def items(self):
        return Release.objects.public().order_by("-publish_at")[:20]

class MeetingDetail(DetailView):
    def get_queryset(self):
        return Meeting.objects.public()

def organisation(request, organisation):
    return Release.objects.filter(public_q(), issuers__organisation=organisation)
"""
    assert problems_in(good) == []


def test_public_modules_select_publishable_items_only_through_public():
    """Views, feeds, sitemaps, API, search and template tags never select around public()/public_q()."""
    modules = public_modules()
    assert any(path.name == "views.py" for path in modules)
    base = Path(settings.BASE_DIR)
    report = []
    for path in modules:
        relative = path.relative_to(base).as_posix()
        for problem in problems_in(path.read_text(), STAFF_CODE.get(relative, set())):
            report.append(f"{relative} {problem}")
    assert report == [], "\n".join(report)


# --- the site rule: what is public is also limited to what the request's site carries ----------------

#: Public selections that are not limited to a site, each for a reason.
SITE_EXEMPT = {
    # Rows chosen by id among releases already selected on the site (the search headlines, a page of
    # search results); the release page's query, compiled once for every site (``public_dated_release``
    # applies the site's rule to the row it finds: ``is_carried``).
    "releases/selectors.py": {"attach_headlines", "search_page", "_compiled_public_dated_release"},
    # Entries rebuilt from releases the view selected on the site, fetched again by id.
    "releases/templatetags/release_tags.py": {"release_items", "prepare"},
    # Whether a photo may be seen is one rule for every site: rendition files are served at any host.
    "media/selectors.py": {"used_publicly_q"},
    # E-mail alerts are sent to subscribers of the whole newsroom, whichever site they subscribed on.
    "alerts/sending.py": {"*"},
    "alerts/forms.py": {"*"},
}


class SiteChecker(ast.NodeVisitor):
    """Each function that selects through ``public()``/``public_q()`` also applies ``on_site()``/``on_site_q()``."""

    def __init__(self, exempt: set[str]):
        self.exempt = exempt
        self.problems: list[str] = []

    def visit_FunctionDef(self, node: ast.FunctionDef):
        calls = {
            getattr(child.func, "attr", getattr(child.func, "id", None))
            for child in ast.walk(node)
            if isinstance(child, ast.Call)
        }
        selects_public = calls & {"public", "public_q"} and not calls & {"on_site", "on_site_q"}
        if selects_public and node.name not in self.exempt and "*" not in self.exempt:
            self.problems.append(f"line {node.lineno}: {node.name}() selects public items on every site")
        self.generic_visit(node)


def site_problems_in(source: str, exempt: set[str] = frozenset()) -> list[str]:
    checker = SiteChecker(set(exempt))
    checker.visit(ast.parse(source))
    return checker.problems


def test_the_site_checker_catches_a_selection_without_the_site_rule():
    bad = """
def feed_items(request):
    return Release.objects.public().order_by("-publish_at")[:20]

def organisation(request, organisation):
    return Release.objects.filter(public_q(), issuers__organisation=organisation)
"""
    assert [problem.split(":")[0] for problem in site_problems_in(bad)] == ["line 2", "line 5"]
    good = """
def feed_items(request):
    return Release.objects.public().on_site(request.site).order_by("-publish_at")[:20]

def organisation(request, organisation):
    return Release.objects.filter(public_q(), on_site_q(request.site), issuers__organisation=organisation)
"""
    assert site_problems_in(good) == []


def test_public_modules_limit_every_public_selection_to_the_requests_site():
    """Every public page, list, feed, sitemap and API answer shows only what the request's site carries."""
    base = Path(settings.BASE_DIR)
    report = []
    for path in public_modules():
        relative = path.relative_to(base).as_posix()
        exempt = SITE_EXEMPT.get(relative, set()) | STAFF_CODE.get(relative, set())
        for problem in site_problems_in(path.read_text(), exempt):
            report.append(f"{relative} {problem}")
    assert report == [], "\n".join(report)
