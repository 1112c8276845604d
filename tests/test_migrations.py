"""Models and migrations stay in step, for the package and for the example site."""

from io import StringIO

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
