# The two set-up commands are `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The clearly named development mode: DEBUG on, a throwaway secret, demo logins.
DEV := EIS_DEV_MODE=true
PLAN := fixtures/delivery_plan.xlsx
SEND_PIP := fixtures/send_pip.xlsx

.PHONY: install system browser wrk run test bench backup restore lint format check plan-workbook send-pip-workbook css clean

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install system
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py import_plan $(PLAN) --plan eis
	$(DEV) $(PY) manage.py import_plan $(SEND_PIP) --plan send-pip
	$(DEV) $(PY) manage.py seed_demo
	@echo
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the demo logins above."
	@# The worker runs the queued jobs (imports, board packs, PDFs) beside the server, and
	@# stops when the server does. It does not reload itself: restart after changing code.
	$(DEV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# WeasyPrint (board-pack PDFs, bury_eis/pdf.py) loads Pango and HarfBuzz's subsetter from
# the system, and needs an Arial-metric font (Liberation Sans) for `font-family: arial`.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation

system:
	@test "$$(dpkg-query -W -f='$${db:Status-Status}\n' $(SYSTEM_PACKAGES) 2>/dev/null | grep -cx installed)" \
		-eq $(words $(SYSTEM_PACKAGES)) || { echo "Installing the libraries and fonts WeasyPrint needs"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(SYSTEM_PACKAGES); }

# The browser tests use Debian's Chromium (Playwright cannot download browsers here).
browser:
	@test -x /usr/bin/chromium || { echo "Installing Debian's Chromium for the browser tests"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# The load test's generator (bench/load.py): Debian's wrk, aimed only at the loopback.
wrk:
	@command -v wrk >/dev/null || { echo "Installing Debian's wrk for the load test"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }

test: install system browser
	$(DEV) $(VENV)/bin/pytest $(PYTEST_ARGS)

# Benchmarks print figures; they are not part of make test. They build and drop their
# own databases (of DATABASE_URL's vendor), so they never touch db.sqlite3 or yours.
bench: install system wrk
	$(PY) bench/run.py

# Backups: every table except what Django rebuilds itself and sessions, readable by their
# owner only (bury_eis/management/commands/backup.py). On the server run with MANAGE_ENV=
# so the production settings (DATABASE_URL) apply.
MANAGE_ENV ?= $(DEV)

backup: install
	$(MANAGE_ENV) $(PY) manage.py backup

# Replaces everything in the database with the backup in FILE.
restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/eis-YYYYMMDD-HHMMSS.json"; exit 2; }
	$(MANAGE_ENV) $(PY) manage.py migrate --noinput
	$(MANAGE_ENV) $(PY) manage.py flush --noinput
	$(MANAGE_ENV) $(PY) manage.py restore $(FILE)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	$(DEV) $(PY) manage.py check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# Rebuild the plan workbook from the council's draft (fixtures/sources/).
plan-workbook: install
	$(PY) fixtures/build_delivery_plan.py

# Rebuild the SEND Priority Impact Plan's workbook from its June 2024 document.
send-pip-workbook: install
	$(PY) fixtures/build_send_pip.py

# Rebuild static/css/app.css from GOV.UK Frontend; needs Node only when run.
css:
	npm install --no-audit --no-fund
	npm run build

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
