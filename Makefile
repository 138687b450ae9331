# Birlik: `make demo` starts the site with demo data; `make test` runs lint and every test.
# Both set up everything they need (virtualenv from the lock files, Chromium for browser tests)
# and can be run again safely.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | sha256sum | cut -c1-16)

.PHONY: demo test setup lint format pytest messages check-translations makemessages clean openapi

$(STAMP): requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP) messages

# Translations are compiled from the .po files on every setup (the .mo files are not committed).
messages: $(STAMP)
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

demo: setup
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py seed_demo --port $(PORT)
	DEBUG=1 PORT=$(PORT) $(BIN)/python manage.py run_demo_server

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests drive Debian's Chromium; install it when it is missing (we run as root here).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

check-translations: $(STAMP)
	$(BIN)/python scripts/check_translations.py

pytest: setup chromium
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test: setup lint check-translations pytest

# After changing the API: regenerate the committed OpenAPI snapshot, then review its diff.
openapi: $(STAMP)
	$(BIN)/python manage.py api_schema --write

# Developers: extract new strings into the .po files, then translate them.
makemessages: $(STAMP)
	$(BIN)/python manage.py makemessages -l az -l en -l ru --no-wrap --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=bench
	$(BIN)/python manage.py makemessages -d djangojs -l az -l en -l ru --no-wrap --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=static/vendor --ignore=tests

clean:
	rm -rf $(VENV) staticfiles
