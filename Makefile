# Two commands: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast install browsers lint types templates format messages check-deploy serve worker beat clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check "uv>=0.5"
	@# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on these machines) every process
	@# would otherwise compile pandas, scipy and statsmodels from source, 10-17 s of CPU each.
	$(UV) pip install --python $(PY) -q --compile-bytecode -r pyproject.toml --extra dev
	@touch $@

install: $(VENV)/.installed

## make run: install, migrate, seed the small demo when the database is empty, serve on 127.0.0.1:8000.
## With REDIS_URL set, a Celery worker and beat start beside the web server.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py seed_demo --scale small --seed 1 --if-empty
	@$(PY) manage.py demo_info --url http://$(HOST):$(PORT)/
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker and beat (logs in .run/)"; mkdir -p .run; \
	  $(VENV)/bin/celery -A acquisition_hr worker -l info --concurrency 2 > .run/worker.log 2>&1 & echo $$! > .run/worker.pid; \
	  $(VENV)/bin/celery -A acquisition_hr beat -l info -s .run/celerybeat-schedule > .run/beat.log 2>&1 & echo $$! > .run/beat.pid; \
	  trap 'kill $$(cat .run/worker.pid) $$(cat .run/beat.pid) 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload; \
	else \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload; \
	fi

## make test: the whole suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set), on TEST_WORKERS
## processes (pytest-xdist; each has its own test database, Redis database and Celery queue).
TEST_WORKERS ?= 2
test: install browsers
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## make test-fast: everything but the slow tests (servers, browsers, workers, fuzzing, demo seeding), reusing the
## test databases of the last run.
test-fast: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not slow" --reuse-db $(PYTEST_ARGS)

## Debian's Chromium for the browser tests (never `playwright install`: no download host here).
browsers:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium and a CJK font"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else echo "warning: /usr/bin/chromium is missing; browser tests will be skipped"; fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: install
	$(PY) -m mypy

## make templates: reflow the templates with djLint (formatting only; CI runs the same with --check).
TEMPLATE_DIRS := templates $(wildcard */templates)
templates: install
	$(VENV)/bin/djlint $(TEMPLATE_DIRS) --reformat --quiet

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Regenerate the translation catalogues (needs gettext) and compile them.
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*"
	$(PY) manage.py makemessages -d djangojs -l zh_Hans -l en --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*" --ignore "static/vendor/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

check-deploy: install
	SECRET_KEY=check-deploy-$$RANDOM-a-long-random-string-for-the-check-only-0123456789 \
	  DJANGO_SETTINGS_MODULE=acquisition_hr.production $(PY) manage.py check --deploy --fail-level WARNING

serve: install
	$(VENV)/bin/gunicorn acquisition_hr.wsgi -b $(HOST):$(PORT) -w 3

worker: install
	$(VENV)/bin/celery -A acquisition_hr worker -l info

beat: install
	$(VENV)/bin/celery -A acquisition_hr beat -l info

clean:
	rm -rf staticfiles .run acquisition_hr.sqlite3*
