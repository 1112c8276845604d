# Two commands for a fresh machine: `make demo` and `make test`.
# Each creates its own virtualenv (.venv) and is safe to run again.

# The newest Python present: 3.13 or 3.12 (Django 6), else python3 (3.11: Django 5.2 LTS).
# pyenv shims answer for versions that are not active, so each candidate is run once to see.
PYTHON ?= $(shell for p in python3.13 python3.12 \
	$$(ls -d $$HOME/.pyenv/versions/3.13*/bin/python3.13 2>/dev/null) \
	$$(ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null) \
	python3; do $$p -c 'import sys; assert sys.version_info >= (3, 11)' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
MANAGE := cd example_site && ../$(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install clean messages docs

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "No Python 3.11 or newer found." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[testing,example,worker,docs]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(MANAGE) compilemessages --ignore=.venv* >/dev/null 2>&1 || true
	$(MANAGE) migrate --no-input
	$(MANAGE) sluss_demo --port $(PORT)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The browser tests (tests/browser) need Debian's chromium and skip loudly without it;
# SLUSS_WAGTAIL_REQUIRE_BROWSER=1 makes them fail instead, PYTEST_ARGS='-m "not browser"' leaves them out.
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Both checks run, so one run shows every problem; either one failing fails the target.
lint: $(STAMP)
	@status=0; \
	echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "$(BIN)/ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	exit $$status

# The package's and the example site's Swedish catalogues; translate what is new, then compile.
messages: $(STAMP)
	cd sluss_wagtail && ../$(BIN)/django-admin makemessages -l sv --no-obsolete
	cd sluss_wagtail && ../$(BIN)/django-admin compilemessages
	$(MANAGE) makemessages -l sv --no-obsolete --ignore=static --ignore=media
	$(MANAGE) compilemessages --ignore=static --ignore=media

clean:
	rm -rf $(VENV) build dist *.egg-info example_site/db.sqlite3

# The example site under gunicorn (2 workers) on PostgreSQL, LOAD_CLIENTS clients sending the
# idea form for LOAD_SECONDS, then a wagtail.contrib.forms page with the same fields on the same
# gunicorn, side by side (submissions/s, p50/p95, ratios), alone and while others read the
# showcase, an innovation page and the portfolio; then the idea form with the mail server down.
# The e-mails are sent by a db_worker beside gunicorn (LOAD_ARGS="--tasks request": in the request).
# Fails if an accepted submission is lost or doubled, or a receipt neither sent nor recorded as
# not sent; LOAD_ARGS=--check-ratios also fails on a
# missed ratio. Uses its own database (LOAD_DATABASE, dropped and created) on DATABASE_URL's server.
LOAD_SECONDS ?= 30
LOAD_CLIENTS ?= 40
LOAD_DATABASE ?= sluss_load
LOAD_ARGS ?=
.PHONY: load
load: $(STAMP)
	$(BIN)/python loadtest/run.py --seconds $(LOAD_SECONDS) --clients $(LOAD_CLIENTS) \
		--database-name $(LOAD_DATABASE) $(LOAD_ARGS)

# Benchmarks side by side with Wagtail's own pages (benchmarks/README.md): SQLite in a temporary
# file, or PostgreSQL with `make bench DATABASE_URL=postgres://…/sluss_bench` (dropped and
# created again). SLUSS_BENCH_SCALE=0.02 runs small sizes while developing.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The documentation (Sphinx and MyST, from docs/) into docs/_build/html; warnings are errors.
docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html
