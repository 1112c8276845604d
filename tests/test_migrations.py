"""Models and migrations stay in step, for the package and for the example site."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# The example site's own app with models (``search`` has none).
APPS = ["sluss_wagtail", "sluss_wagtail_pages", "home"]


@pytest.mark.django_db
@pytest.mark.parametrize("app_label", APPS)
def test_no_migration_is_missing(app_label):
    out = StringIO()
    try:
        call_command("makemigrations", app_label, check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit as error:  # --check exits with status 1 when a migration is missing
        pytest.fail(
            f"makemigrations --check found changes in {app_label} (exit {error.code}):\n"
            f"{out.getvalue()}"
        )
    assert "No changes detected" in out.getvalue()


# The package is unreleased: its migrations started again from 0001 (CHANGELOG.md says so,
# and which there are). What the CHANGELOG and the docs name must be what there is.
ROOT = Path(__file__).resolve().parent.parent
MIGRATION_FOLDERS = [ROOT / "sluss_wagtail/migrations", ROOT / "sluss_wagtail/pages/migrations"]
NAMED_MIGRATION = re.compile(r"[Mm]igrations?\s+`?(\d{4}(?:_\w+)?)`?")


def migration_names():
    return sorted(
        {
            path.stem
            for folder in MIGRATION_FOLDERS
            for path in folder.glob("[0-9][0-9][0-9][0-9]_*.py")
        }
    )


def test_the_changelog_says_the_migrations_start_again_and_names_each():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    start = changelog.index("**Migrations start again from `0001_initial`**")
    entry = changelog[start : changelog.index("\n- ", start)]
    assert [name for name in migration_names() if f"`{name}`" not in entry] == []


def test_every_migration_the_changelog_and_docs_name_exists():
    names = migration_names()
    texts = [ROOT / "CHANGELOG.md", ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    missing = [
        f"{path.relative_to(ROOT)}: {named}"
        for path in texts
        for named in NAMED_MIGRATION.findall(path.read_text())
        if not any(name == named or name.startswith(named + "_") for name in names)
    ]
    assert missing == []
