"""The wheel ships what a site needs (templates, static files, migrations, locale) and no more.

The wheel is built from a copy of the working tree without build leftovers, as a
fresh clone would build it: a stale ``*.egg-info`` must not hide a missing
``package-data`` entry.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sluss_wagtail"

pytestmark = [pytest.mark.slow, pytest.mark.once]

NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "test-results",
    "db.sqlite3",
    "media",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """A freshly built wheel."""
    source = tmp_path_factory.mktemp("source") / "sluss_wagtail"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    outdir = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"the wheel did not build:\n{result.stdout}\n{result.stderr}"
    (built,) = outdir.glob("sluss_wagtail-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel):
    """The names of the files in the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.mark.parametrize(
    "name",
    [
        "sluss_wagtail/__init__.py",
        "sluss_wagtail/templates/sluss_wagtail/pages/idea_submission_page.html",
        "sluss_wagtail/templates/sluss_wagtail/pages/idea_submission_page_confirmation.html",
        "sluss_wagtail/templates/sluss_wagtail/idea_status.html",
        "sluss_wagtail/templates/sluss_wagtail/includes/idea_form.html",
        "sluss_wagtail/templates/sluss_wagtail/emails/idea_received.html",
        "sluss_wagtail/templates/sluss_wagtail/emails/idea_received.txt",
        "sluss_wagtail/templates/sluss_wagtail/emails/idea_received_subject.txt",
        "sluss_wagtail/static/sluss_wagtail/css/sluss_wagtail.css",
        "sluss_wagtail/static/sluss_wagtail/js/sluss_wagtail.js",
        "sluss_wagtail/migrations/__init__.py",
        "sluss_wagtail/migrations/0001_initial.py",
        "sluss_wagtail/migrations/0002_data_and_indexes.py",
        "sluss_wagtail/pages/models.py",
        "sluss_wagtail/pages/migrations/0001_initial.py",
        "sluss_wagtail/locale/sv/LC_MESSAGES/django.po",
        "sluss_wagtail/locale/sv/LC_MESSAGES/django.mo",
        "sluss_wagtail/management/commands/sluss_groups.py",
        "sluss_wagtail/templatetags/sluss_wagtail_tags.py",
    ],
)
def test_the_wheel_ships(wheel_names, name):
    assert name in wheel_names


@pytest.mark.parametrize("folder", ["templates", "static", "locale", "migrations"])
def test_every_file_of_the_package_folder_ships(wheel_names, folder):
    """A new template, static file, translation or migration needs no change to pyproject.toml."""
    in_source = {
        path.relative_to(ROOT).as_posix()
        for path in (PACKAGE / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert in_source, f"sluss_wagtail/{folder} is empty"
    assert sorted(in_source - wheel_names) == []


def test_the_wheel_ships_no_tests_example_site_or_bytecode(wheel_names):
    strays = sorted(
        name
        for name in wheel_names
        if name.startswith(("tests/", "example_site/", "home/", "search/"))
        or "/tests/" in name
        or "__pycache__" in name
        or name.endswith(".pyc")
        or name.endswith("db.sqlite3")
    )
    assert strays == []


def test_the_wheel_has_only_the_package_at_the_top(wheel_names):
    top_level = {name.split("/", 1)[0] for name in wheel_names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"sluss_wagtail"}


def test_the_wheel_ships_no_demo(wheel):
    """The demo (content and a known admin password) is the example site's, not the package's."""
    from demo.management.commands.sluss_demo import ADMIN_PASSWORD

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        # (The README, the wheel's long description, tells of `make demo` and its logins.)
        mentioning_the_password = [
            name
            for name in names
            if name.startswith("sluss_wagtail/") and ADMIN_PASSWORD.encode() in archive.read(name)
        ]
    assert [name for name in names if "demo" in name.rsplit("/", 1)[-1]] == []
    assert mentioning_the_password == []
