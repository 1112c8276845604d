#!/usr/bin/env bash
# Install check: the README's "Install into your Wagtail site" steps, applied to a brand-new
# `wagtail start` project, must give a site that passes its checks, migrates, has no missing
# migrations and serves an idea submission page with the form.
#
#   bash .ci/install_check.sh [BIN]
#
# BIN is the bin/ folder of a virtualenv where sluss_wagtail is installed (default: .venv/bin,
# as `make install` builds it). The steps below follow README.md; when one changes, change both.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/.venv/bin}"
BIN="$(cd "$BIN" && pwd)"
PYTHON="$BIN/python"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sluss-install-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

step() { printf '\n--- install check: %s\n' "$*"; }

VERSIONS="$("$PYTHON" -c 'import django, wagtail; print(django.get_version(), wagtail.__version__)')"
step "wagtail start newsite (Django ${VERSIONS% *}, Wagtail ${VERSIONS#* })"
"$BIN/wagtail" start newsite
cd newsite
# Nothing from the repository may leak in: the package is imported from the virtualenv.
unset PYTHONPATH DJANGO_SETTINGS_MODULE DATABASE_URL

step "README step 1: the package is installed"
"$PYTHON" -c 'import sluss_wagtail, sys; print("sluss_wagtail from", sluss_wagtail.__path__[0])'

step "README step 2: INSTALLED_APPS in newsite/settings/base.py"
"$PYTHON" - <<'EOF'
from pathlib import Path

path = Path("newsite/settings/base.py")
text = path.read_text()
anchor = "INSTALLED_APPS = [\n"
assert text.count(anchor) == 1, f"no single {anchor!r} in {path}"
added = (
    '    "sluss_wagtail",\n    "sluss_wagtail.pages",\n'
    '    "wagtail.contrib.settings",\n    "wagtail_modeladmin",\n'
)
path.write_text(text.replace(anchor, anchor + added))
EOF
grep -n -A4 "^INSTALLED_APPS" newsite/settings/base.py

step "README step 3: the status pages in newsite/urls.py, before Wagtail's pattern"
"$PYTHON" - <<'EOF'
from pathlib import Path

path = Path("newsite/urls.py")
text = path.read_text()
wagtail_pattern = '    path("", include(wagtail_urls)),\n'
assert text.count(wagtail_pattern) == 1, f"no single {wagtail_pattern!r} in {path}"
ours = '    path("idesluss/", include("sluss_wagtail.urls")),\n'
path.write_text(text.replace(wagtail_pattern, ours + wagtail_pattern))
EOF
grep -n -B1 '^    path("", include(wagtail_urls)),$' newsite/urls.py

step "README step 7: the admin login throttled (the settings block, read from README.md)"
README="$ROOT/README.md" "$PYTHON" - <<'EOF'
import os
import textwrap
from pathlib import Path

readme = Path(os.environ["README"]).read_text()
step = readme.index("7. Throttle the admin login")
start = readme.index("```python\n", step) + len("```python\n")
block = textwrap.dedent(readme[start : readme.index("```", start)])
path = Path("newsite/settings/base.py")
path.write_text(path.read_text() + "\n" + block)
print(block)
EOF

step "manage.py check --fail-level WARNING"
"$PYTHON" manage.py check --fail-level WARNING

step "README step 4: manage.py migrate"
"$PYTHON" manage.py migrate --no-input -v 1 | tail -n 3

step "manage.py makemigrations --check --dry-run"
"$PYTHON" manage.py makemigrations --check --dry-run

step "README step 5: an idea submission page under the site's root page, sent once"
"$PYTHON" manage.py shell -c '
import contextlib
import io
import re
import time

from django.test import Client
from wagtail.models import Site

from sluss_wagtail.conf import sluss_settings
from sluss_wagtail.models import Idea
from sluss_wagtail.pages.models import IdeaSubmissionPage

root = Site.objects.get(is_default_site=True).root_page
page = IdeaSubmissionPage(title="Submit an idea", slug="submit-an-idea")
root.add_child(instance=page)
page.save_revision().publish()

client = Client()
response = client.get(page.url)
html = response.content.decode()
assert response.status_code == 200, f"GET {page.url}: {response.status_code}"
assert "name=\"title\"" in html, f"GET {page.url}: no title field in the form"
print("GET", page.url, response.status_code, "- the form is there")

# The whole way a person goes: send the form, read the confirmation, open the status link.
token = re.search(r"name=\"form_token\" value=\"([^\"]+)\"", html).group(1)
time.sleep(sluss_settings.MIN_FILL_SECONDS + 0.5)
console = io.StringIO()  # the new site prints e-mails on the console (settings/dev.py)
with contextlib.redirect_stdout(console):
    response = client.post(page.url, {
        "form_token": token,
        "title": "Benches by the lake",
        "description": "Put benches along the path round the lake.",
        "need": "Older people cannot walk the whole way without a rest.",
        "beneficiaries": "Older people and parents with small children",
        "submitter_kind": "resident",
        "name": "Karin Lund",
        "email": "karin@example.invalid",
        "publish_idea": "yes",
        "publish_name": "no",
    }, follow=True)
assert response.status_code == 200, f"POST {page.url}: {response.status_code}"
idea = Idea.objects.get()
assert idea.reference in response.content.decode(), "no reference number on the confirmation"
print("POST", page.url, "->", response.redirect_chain[-1][0], "- idea", idea.reference)
receipt = console.getvalue()
assert "To: karin@example.invalid" in receipt and idea.reference in receipt, "no receipt e-mail"
print("receipt e-mail sent to karin@example.invalid")

status_url = idea.get_status_url()
assert status_url.startswith("/idesluss/"), status_url
response = client.get(status_url)
assert response.status_code == 200, f"GET {status_url}: {response.status_code}"
print("GET /idesluss/status/…/", response.status_code)
'

step "passed"
