#!/usr/bin/env bash
# Install check: the README's "Install into your Wagtail site" steps, applied to brand-new
# `wagtail start` projects in the shapes municipalities run, must give sites that pass their
# checks, migrate, have no missing migrations and take an idea from a person.
#
#   bash .ci/install_check.sh [BIN] [SHAPE...]
#
# BIN is the bin/ folder of a virtualenv where sluss_wagtail is installed (default: .venv/bin,
# as `make install` builds it). SHAPE is one or more of the shapes below (default: all):
#
#   default      one site, Wagtail's own page model, one language
#   two-sites    a public site and an intranet: each site's settings speak for its ideas
#   two-locales  Swedish and English with wagtail-localize: a page and its translation are one
#   base-page    a base page of the site's own (WAGTAIL_PAGE_MODEL) and the sluice's pages on it
#
# Each shape starts from its own `wagtail start`. The install steps are read from README.md
# (.ci/install_shapes/readme.py), and what is asked of a shape's site is its script
# .ci/install_shapes/<shape>.py, run in the site's `manage.py shell`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/.venv/bin}"
BIN="$(cd "$BIN" && pwd)"
PYTHON="$BIN/python"
shift || true
SHAPES=("$@")
[ ${#SHAPES[@]} -gt 0 ] || SHAPES=(default two-sites two-locales base-page)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sluss-install-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
SHAPES_DIR="$ROOT/.ci/install_shapes"
export README="$ROOT/README.md"

step() { printf '\n--- install check (%s): %s\n' "$SHAPE" "$*"; }
readme() { "$PYTHON" "$SHAPES_DIR/readme.py" "$@"; }
# The same from docs/installing.md, where each shape's own lines are.
installing() { README="$ROOT/docs/installing.md" "$PYTHON" "$SHAPES_DIR/readme.py" "$@"; }
# The shape's script in the site's shell; journey.py beside it is what every shape asks.
ask() { PYTHONPATH="$SHAPES_DIR" "$PYTHON" manage.py shell -v 0 <"$SHAPES_DIR/$1.py"; }

# A new `wagtail start` site with README steps 1, 2, 3 and 7 applied (the steps every
# shape takes); migrating and the checks come after the shape's own steps.
new_site() {
    VERSIONS="$("$PYTHON" -c 'import django, wagtail; print(django.get_version(), wagtail.__version__)')"
    step "wagtail start newsite (Django ${VERSIONS% *}, Wagtail ${VERSIONS#* })"
    mkdir -p "$WORK/$SHAPE" && cd "$WORK/$SHAPE"
    "$BIN/wagtail" start newsite >/dev/null
    cd newsite
    # Nothing from the repository may leak in: the package is imported from the virtualenv.
    unset PYTHONPATH DJANGO_SETTINGS_MODULE DATABASE_URL

    step "README step 1: the package is installed"
    "$PYTHON" -c 'import sluss_wagtail; print("sluss_wagtail from", sluss_wagtail.__path__[0])'

    step "README step 2: INSTALLED_APPS in newsite/settings/base.py"
    APPS="$(readme apps)" "$PYTHON" - <<'PY'
import os
from pathlib import Path

path = Path("newsite/settings/base.py")
text = path.read_text()
anchor = "INSTALLED_APPS = [\n"
assert text.count(anchor) == 1, f"no single {anchor!r} in {path}"
added = "".join(f'    "{app}",\n' for app in os.environ["APPS"].split())
path.write_text(text.replace(anchor, anchor + added))
PY
    grep -n -A4 "^INSTALLED_APPS" newsite/settings/base.py

    step "README step 3: the status pages in newsite/urls.py, before Wagtail's pattern"
    OURS="$(readme urls)" "$PYTHON" - <<'PY'
import os
from pathlib import Path

path = Path("newsite/urls.py")
text = path.read_text()
wagtail_pattern = '    path("", include(wagtail_urls)),\n'
assert text.count(wagtail_pattern) == 1, f"no single {wagtail_pattern!r} in {path}"
path.write_text(text.replace(wagtail_pattern, f"    {os.environ['OURS']}\n" + wagtail_pattern))
PY
    grep -n -B1 '^    path("", include(wagtail_urls)),$' newsite/urls.py

    step "README step 7: the admin login throttled"
    add_settings "7. Throttle the admin login"
}

# Append the README's settings block that follows the line starting with $1.
add_settings() {
    { echo; readme block "$1"; } >>newsite/settings/base.py
    readme block "$1"
}

migrate_and_check() {
    step "manage.py check --fail-level WARNING"
    "$PYTHON" manage.py check --fail-level WARNING
    step "README step 4: manage.py migrate"
    "$PYTHON" manage.py migrate --no-input -v 1 | tail -n 3
    step "manage.py makemigrations --check --dry-run"
    "$PYTHON" manage.py makemigrations --check --dry-run
}

shape_default() {
    new_site
    migrate_and_check
    step "an idea submission page under the site's root page, an idea sent through it"
    ask default
}

shape_two_sites() {
    new_site
    migrate_and_check
    step "a second site (an intranet) with its own settings; an idea sent through each"
    ask two_sites
}

shape_two_locales() {
    new_site
    step "docs/installing.md, two or more languages: pip install wagtail-localize"
    "$PYTHON" -m pip install --quiet wagtail-localize
    step "docs/installing.md, two or more languages: the settings"
    { echo; installing block "## Two or more languages"; } >>newsite/settings/base.py
    installing block "## Two or more languages"
    step "docs/installing.md, two or more languages: LocaleMiddleware and i18n_patterns"
    "$PYTHON" - <<'PY'
from pathlib import Path

path = Path("newsite/settings/base.py")
text = path.read_text()
session = '    "django.contrib.sessions.middleware.SessionMiddleware",\n'
assert text.count(session) == 1, "no single SessionMiddleware"
locale = '    "django.middleware.locale.LocaleMiddleware",\n'
path.write_text(text.replace(session, session + locale))

path = Path("newsite/urls.py")
text = path.read_text()
tail = "urlpatterns = urlpatterns + ["
assert text.count(tail) == 1, f"no single {tail!r} in {path}"
head, rest = text.split(tail)
end = rest.rindex("]")
rest = rest[:end] + ")" + rest[end + 1 :]
text = head + "urlpatterns = urlpatterns + i18n_patterns(" + rest
text = text.replace(
    "urlpatterns = urlpatterns + i18n_patterns(",
    "urlpatterns = urlpatterns + i18n_patterns(",
)
text = "from django.conf.urls.i18n import i18n_patterns\n" + text
text = text.replace(
    '    #    path("pages/", include(wagtail_urls)),\n)',
    '    #    path("pages/", include(wagtail_urls)),\n    prefix_default_language=False,\n)',
)
path.write_text(text)
PY
    sed -n '/i18n_patterns(/,$p' newsite/urls.py
    migrate_and_check
    step "an idea through the Swedish page and one through its English translation"
    ask two_locales
}

shape_base_page() {
    new_site
    step "docs/installing.md, your own base page: the base page, as Wagtail's guide sets it up"
    # The base page app of tests/sites/custom_base_page: BasePage(AbstractPage) with the
    # bootstrap migrations Wagtail's guide "Defining custom base page models" describes.
    cp -r "$ROOT/tests/sites/custom_base_page/basepage" basepage
    rm -rf basepage/__pycache__ basepage/migrations/__pycache__
    sed -i 's/name = "tests.sites.custom_base_page.basepage"/name = "basepage"/' basepage/apps.py
    step "docs/installing.md, your own base page: the sluice's pages on it, in an app of yours"
    mkdir -p sluice/migrations && touch sluice/__init__.py sluice/migrations/__init__.py
    installing block "## Your own base page" >sluice/models.py
    cat sluice/models.py
    "$PYTHON" - <<'PY'
from pathlib import Path

path = Path("newsite/settings/base.py")
text = path.read_text()
# Without the pages app (the site has its own pages) and without `wagtail start`'s home
# page, which is built on Wagtail's Page: the root is Wagtail's welcome page, a BasePage.
for app in ('    "sluss_wagtail.pages",\n', '    "home",\n'):
    assert text.count(app) == 1, f"no single {app!r}"
    text = text.replace(app, "")
text += '\nINSTALLED_APPS += ["basepage", "sluice"]\nWAGTAIL_PAGE_MODEL = "custom_basepage.BasePage"\n'
path.write_text(text)
PY
    "$PYTHON" manage.py makemigrations sluice
    migrate_and_check
    step "an idea through the site's own idea page, and one through a challenge"
    ask base_page
}

# The shapes run side by side, INSTALL_CHECK_JOBS at a time (default 2, the CI machine's
# cores), each into its own log; the logs are printed in order, and any failure fails.
JOBS="${INSTALL_CHECK_JOBS:-2}"
# (set -e stops a failing shape where it fails; then it writes no status, which fails.)
run_shape() {
    local started=$SECONDS
    ( "shape_${SHAPE//-/_}" )
    printf '\n--- install check (%s): passed in %ss\n' "$SHAPE" $((SECONDS - started))
    echo 0 >"$WORK/$SHAPE.status"
}
for SHAPE in "${SHAPES[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
    run_shape >"$WORK/$SHAPE.log" 2>&1 &
done
wait
FAILED_SHAPES=()
for SHAPE in "${SHAPES[@]}"; do
    cat "$WORK/$SHAPE.log"
    [ "$(cat "$WORK/$SHAPE.status" 2>/dev/null)" = 0 ] || FAILED_SHAPES+=("$SHAPE")
done
if [ ${#FAILED_SHAPES[@]} -gt 0 ]; then
    printf '\n--- install check: FAILED: %s\n' "${FAILED_SHAPES[*]}"
    exit 1
fi
