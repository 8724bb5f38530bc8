# The two commands: `make run` and `make test`. .ci/run calls `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-ahead lint messages migrate demo worker beat check bench clean

# The suite runs in PYTEST_WORKERS processes (pytest-xdist): on a 2-core machine two
# processes take about half the time of one. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(PY) requirements.txt
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

# Compile the English catalogues (gettext's msgfmt) when a .po is newer than its .mo.
messages: $(VENV)/.installed
	@for po in $$(find . -path ./$(VENV) -prune -o -name django.po -print); do \
	  mo=$${po%.po}.mo; \
	  if [ ! -f $$mo ] || [ $$po -nt $$mo ]; then msgfmt --check-format -o $$mo $$po || exit 1; fi; \
	done

migrate: $(VENV)/.installed messages
	@mkdir -p var
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo

## make run: the embedded portal (SQLite, in-process tasks) on http://127.0.0.1:$(PORT)
## (PORT=8001 make run for another port), with the scheduled jobs beat runs in production
## (board sweep, survey invitations, overdue and escalations) in a thread of the same
## process: manage.py runportal, yeoncheon_portal/scheduler.py.
PORT ?= 8000
run: demo
	$(MANAGE) runportal 127.0.0.1:$(PORT)

## make test: lint (ruff, mypy, the import contract, vulture), migrations check and the whole suite
## (browser tests included). HYPOTHESIS_PROFILE=full draws the full fuzz and property
## examples (CI's services run).
test: lint messages
	$(MANAGE) makemigrations --check --dry-run
	$(PYTEST) $(PYTEST_ARGS)

## make test-ahead: the embedded suite with the machine's clock a year ahead (Debian's
## faketime): no test may depend on today's date.
test-ahead: $(VENV)/.installed-dev messages
	faketime -f '+365d' $(PYTEST) $(PYTEST_ARGS)

## make lint: ruff, ruff format, mypy, and the one-way import contract (import-linter)
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/vulture

## make worker / make beat: the background processes (need REDIS_URL)
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A yeoncheon_portal worker --loglevel=INFO --concurrency=2

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A yeoncheon_portal beat --loglevel=INFO

## make check: lint, migrations and Django's deploy checks with production-like settings
check: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
	  ALLOWED_HOSTS=minwon.yeoncheon.go.kr SMS_BACKEND=twilio REDIS_URL=redis://127.0.0.1:6379/0 \
	  TWILIO_ACCOUNT_SID=ACcheck TWILIO_AUTH_TOKEN=check TWILIO_FROM_NUMBER=+15005550006 \
	  $(MANAGE) check --deploy --fail-level WARNING

## make bench: benchmarks; each prints ratios against a baseline measured in the same run
bench: $(VENV)/.installed-dev
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done
	@echo "== bench/results/latest.json as the table of docs/performance.md"; $(PY) bench/lib/table.py

clean:
	rm -rf $(VENV) var staticfiles
