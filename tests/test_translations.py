"""The Swedish translation: complete, compiled, in step with the source, and on the page.

Two catalogues are checked: the package's and the example site's. To bring one
up to date, run makemessages where it lives, translate, and compile:

    cd sluss_wagtail && ../.venv/bin/django-admin makemessages -l sv --no-obsolete
    cd example_site && ../.venv/bin/python manage.py makemessages -l sv --no-obsolete

and ``django-admin compilemessages`` in the same folder (``make messages`` does
the package).
"""

import re
import shutil
from collections import Counter
from gettext import GNUTranslations
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

from sluss_wagtail import process
from tests.factories import IdeaFactory

REPO = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO / "sluss_wagtail"
EXAMPLE_SITE_DIR = REPO / "example_site"
CATALOG = Path("locale", "sv", "LC_MESSAGES", "django.po")

# (where makemessages runs, ignore patterns it runs with)
SOURCES = {
    "package": (PACKAGE_DIR, []),
    "example_site": (EXAMPLE_SITE_DIR, ["static", "media"]),
}

catalogs = pytest.mark.parametrize("source", list(SOURCES))

# %(name)s and %s in Python and template strings ({{ name }} becomes %(name)s),
# {name} in str.format strings.
PLACEHOLDER_RE = re.compile(r"%\(\w+\)[a-zA-Z]|%[a-zA-Z]|\{\w*\}")


def po_path(source):
    return SOURCES[source][0] / CATALOG


def load_po(path):
    return polib.pofile(str(path), wrapwidth=0)


def entries(po):
    return [entry for entry in po if not entry.obsolete]


def placeholders(text):
    return Counter(PLACEHOLDER_RE.findall(text.replace("%%", "")))


def msgid_keys(po):
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural or None) for entry in entries(po)}


@catalogs
def test_catalog_header_is_swedish(source):
    po = load_po(po_path(source))
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "sv"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Type"].lower() == "text/plain; charset=utf-8"


@catalogs
def test_every_message_has_a_swedish_translation(source):
    po = load_po(po_path(source))
    assert entries(po), "the catalogue is empty"
    untranslated = []
    for entry in entries(po):
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(index, "") for index in range(2)]
        else:
            forms = [entry.msgstr]
        if "fuzzy" in entry.flags or not all(form.strip() for form in forms):
            untranslated.append(entry.msgid)
    assert untranslated == [], "untranslated or fuzzy messages"


@catalogs
def test_translations_keep_the_placeholders(source):
    po = load_po(po_path(source))
    mismatches = []
    for entry in entries(po):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for msgid, msgstr in pairs:
            if msgstr and placeholders(msgid) != placeholders(msgstr):
                mismatches.append((msgid, msgstr))
    assert mismatches == []


@catalogs
def test_compiled_catalog_is_current(source):
    """The .mo says what the .po says, entry by entry; msgfmt is not needed here."""
    path = po_path(source)
    po = load_po(path)
    expected = {}
    for entry in entries(po):
        if "fuzzy" in entry.flags or not entry.translated():
            continue  # msgfmt leaves these out too
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, msgstr in entry.msgstr_plural.items():
                expected[(key, index)] = msgstr
        else:
            expected[key] = entry.msgstr
    with path.with_suffix(".mo").open("rb") as mo_file:
        mo = GNUTranslations(mo_file)
    # GNUTranslations keeps every message in _catalog; "" is the header.
    compiled = {key: value for key, value in mo._catalog.items() if key != ""}
    assert compiled == expected, "the .mo is out of date: run compilemessages"
    assert (mo.plural(1), mo.plural(2)) == (0, 1)


@catalogs
def test_makemessages_would_add_no_new_messages(source, tmp_path, monkeypatch, settings):
    """Extract the messages from a copy of the source and compare them with the catalogue."""
    missing = [
        program
        for program in ("xgettext", "msguniq", "msgmerge", "msgattrib")
        if shutil.which(program) is None
    ]
    if missing:
        pytest.skip(f"makemessages needs GNU gettext: {', '.join(missing)} not installed")
    source_dir, ignore_patterns = SOURCES[source]
    copy = tmp_path / source_dir.name
    shutil.copytree(
        source_dir,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3", "*.mo", *ignore_patterns),
    )
    # A fresh extraction: nothing carried over from the existing catalogue.
    (copy / CATALOG).unlink()
    # Only the copy's own locale folder may receive the new catalogue.
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["sv"], ignore_patterns=ignore_patterns, verbosity=0)

    in_catalog = msgid_keys(load_po(po_path(source)))
    in_source = msgid_keys(load_po(copy / CATALOG))
    assert in_source - in_catalog == set(), "new messages: run makemessages and translate them"
    assert in_catalog - in_source == set(), "messages no longer in the source: run makemessages"


def test_stage_labels_use_the_glossary_words():
    with translation.override("sv"):
        labels = [str(stage.label) for stage in process.STAGES]
    assert labels == [
        "Inkommen",
        "Bedömning",
        "Utveckling",
        "Test i liten skala",
        "Utvärdering",
        "Införd",
        "Spridd",
        "Avslutad",
        "Parkerad",
        "Överlämnad",
    ]


SWEDISH_FORM = [
    '<html lang="sv">',
    "Ge din idé en kort rubrik",
    "Vilket behov eller problem löser din idé?",
    "Invånare",
    "Medarbetare",
    "Så hanterar vi dina personuppgifter",
    "Skicka din idé",
    # The example site's own catalogue, through LOCALE_PATHS.
    "Hoppa till huvudinnehållet",
]
ENGLISH_FORM = [
    '<html lang="en">',
    "Give your idea a short title",
    "What need or problem does your idea solve?",
    "Resident",
    "Employee",
    "How we handle your personal data",
    "Send your idea",
    "Skip to main content",
]


@pytest.mark.django_db
def test_the_idea_form_speaks_swedish_by_default(client, submission_page):
    response = client.get(submission_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in SWEDISH_FORM:
        assert text in html
    for text in ENGLISH_FORM:
        assert text not in html


@pytest.mark.django_db
def test_the_idea_form_speaks_english_under_en(client, submission_page):
    response = client.get(f"/en{submission_page.url}")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ENGLISH_FORM:
        assert text in html
    for text in SWEDISH_FORM:
        assert text not in html


@pytest.mark.django_db
def test_the_status_page_names_the_stages_in_swedish(client):
    idea = IdeaFactory()
    response = client.get(idea.get_status_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Följ din idé {idea.reference}" in html
    for label in ("Inkommen", "Bedömning", "Test i liten skala", "Spridd"):
        assert label in html
    assert "(din idé är här)" in html
