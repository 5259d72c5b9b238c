"""Every interface string has a German, English and Luxembourgish translation in locale/."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import formats, translation

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["de", "en", "lb"]


def entries(po_text: str):
    """(msgid, msgstr, flags) of each live entry (not the header, not obsolete)."""
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        body = "\n".join(line for line in lines if not line.startswith("#"))
        match = re.search(r'msgid ((?:".*"\s*)+)msgstr ((?:".*"\s*)+)', body)
        if not match:
            continue
        msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
        msgstr = "".join(re.findall(r'"(.*)"', match.group(2)))
        if msgid:
            yield msgid, msgstr, flags


def test_gettext_tools_are_installed():
    """The catalogue check below needs GNU gettext; scripts/ensure-gettext.sh installs it."""
    for tool in ("xgettext", "msgmerge", "msgfmt"):
        assert shutil.which(tool), f"{tool} is missing: run scripts/ensure-gettext.sh"


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_translates_everything(language):
    text = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    untranslated = [msgid for msgid, msgstr, flags in entries(text) if not msgstr or "fuzzy" in flags]
    assert not untranslated, f"{language}: untranslated or fuzzy: {untranslated}"
    assert (ROOT / "locale" / language / "LC_MESSAGES" / "django.mo").exists()


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path, settings, monkeypatch):
    """makemessages over the code into a copy of locale/: a new string shows up there untranslated.

    makemessages writes into the ``locale`` folder it finds beside the files, so it runs in a scratch
    project made of links to the code and a copy of the catalogues; the real ones are never touched.
    """
    scratch = tmp_path / "project"
    scratch.mkdir()
    for entry in ROOT.iterdir():
        if entry.name in {"locale", ".venv", "var", "staticfiles", "tests", ".git", "docs"}:
            continue
        if entry.is_dir() or entry.suffix in {".py", ".html", ".txt"}:
            (scratch / entry.name).symlink_to(entry)
    copy = scratch / "locale"
    shutil.copytree(ROOT / "locale", copy)
    settings.LOCALE_PATHS = [copy]
    monkeypatch.chdir(scratch)
    before = (ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po").read_bytes()
    call_command(
        "makemessages",
        locale=LANGUAGES,
        ignore_patterns=[".venv/*", "var/*", "staticfiles/*", "tests/*", "locale/*"],
        no_location=True,
        symlinks=True,
        verbosity=0,
    )
    assert (ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po").read_bytes() == before, "the real catalogue changed"
    assert (copy / "de" / "LC_MESSAGES" / "django.po").read_bytes() != b"", "makemessages wrote nothing"
    problems = {}
    for language in LANGUAGES:
        text = (copy / language / "LC_MESSAGES" / "django.po").read_text()
        missing = [msgid for msgid, msgstr, flags in entries(text) if not msgstr or "fuzzy" in flags]
        if missing:
            problems[language] = missing
    assert not problems, f"Strings without a translation (add them to locale/*/django.po): {problems}"


def test_compiled_catalogues_are_current(tmp_path):
    """The committed .mo files match their .po files."""
    for language in LANGUAGES:
        po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        out = tmp_path / f"{language}.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(out), str(po)], check=True)
        assert out.read_bytes() == (po.with_suffix(".mo")).read_bytes(), f"{language}: run make messages"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "25 janvier 2024"), ("de", "25. Januar 2024"), ("en", "25 January 2024"), ("lb", "25. Januar 2024")],
)
def test_dates_in_each_language(language, expected):
    from datetime import date

    with translation.override(language):
        assert formats.date_format(date(2024, 1, 25)) == expected


def test_luxembourgish_month_and_day_names():
    from datetime import date

    with translation.override("lb"):
        months = [formats.date_format(date(2024, month, 1), "F") for month in range(1, 13)]
        days = [formats.date_format(date(2024, 1, day), "l") for day in range(1, 8)]  # 1 January 2024: Monday
    assert months == [
        "Januar", "Februar", "Mäerz", "Abrëll", "Mee", "Juni", "Juli", "August", "September", "Oktober", "November",
        "Dezember",
    ]  # fmt: skip
    assert days == ["Méindeg", "Dënschdeg", "Mëttwoch", "Donneschdeg", "Freideg", "Samschdeg", "Sonndeg"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_javascript_catalogue_translates_the_editor_toolbar(language):
    """Every French label static/admin-extras/editor-labels.js asks gettext for is in djangojs.po."""
    script = (ROOT / "static" / "admin-extras" / "editor-labels.js").read_text()
    table = script[script.index("const LABELS = {") : script.index("};", script.index("const LABELS = {"))]
    asked = set(re.findall(r'"[^"]+": "([^"]+)"', table)) | set(re.findall(r'translate\("([^"]+)"\)', script))
    assert "gras" in asked and "intertitre de niveau %s" in asked
    text = (ROOT / "locale" / language / "LC_MESSAGES" / "djangojs.po").read_text()
    translated = {msgid for msgid, msgstr, flags in entries(text) if msgstr and "fuzzy" not in flags}
    assert not asked - translated, f"{language}: untranslated in djangojs.po: {sorted(asked - translated)}"
    assert (ROOT / "locale" / language / "LC_MESSAGES" / "djangojs.mo").exists()
