# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test lint format bench install lock browser nginx vendor static clean check-deploy

# What ships: gunicorn + WhiteNoise (deploy/gunicorn.conf.py) and the worker, supervised by
# `manage.py serve`, DEBUG off (also while collecting static files, so they get hashed names).
# tests/e2e/test_as_shipped.py starts exactly this target.
run: export DEBUG := false
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: install static
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving TrainerHub at http://$(HOST):$(PORT)/  (Ctrl-C stops the app and its worker)"
	exec $(PY) manage.py serve

# For changing the code: Django's autoreloading server with DEBUG on, and the worker.
dev: export DEBUG := true
dev: install vendor
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Development server at http://$(HOST):$(PORT)/  (reloads on code changes; Ctrl-C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py run_worker & \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install vendor browser nginx
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/run_all.py

check-deploy: install
	DEBUG=false HTTPS=true SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(60))') \
	ALLOWED_HOSTS=trainerhub.example.com $(PY) manage.py check --deploy --fail-level WARNING

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "TrainerHub needs Python 3.11 or newer (set PYTHON=python3.x)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end packages are copied from node_modules into our static files: nothing from a CDN.
vendor: install
	$(PY) scripts/vendor_static.py

static: vendor
	$(PY) manage.py collectstatic --noinput --verbosity 0

# Browser tests drive Debian's Chromium; install it where we may, else say how.
browser:
	@if [ ! -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || { echo "ERROR: could not install chromium. Install it with: sudo apt-get install chromium"; exit 1; }; \
	  else \
	    echo "ERROR: the browser tests need Chromium at /usr/bin/chromium (or set CHROMIUM_PATH)."; \
	    echo "       Install it with: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

# The deploy tests (tests/deploy) put Debian's nginx in front of gunicorn with a certificate
# made by openssl, and check the systemd units with systemd-analyze. Install what is missing
# where we may, else say how. NGINX_PATH points the tests at another nginx.
nginx:
	@missing=""; \
	[ -x "$${NGINX_PATH:-/usr/sbin/nginx}" ] || missing="$$missing nginx"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v systemd-analyze >/dev/null || missing="$$missing systemd"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing for the deploy tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || { echo "ERROR: could not install$$missing. Install with: sudo apt-get install$$missing"; exit 1; }; \
	  else \
	    echo "ERROR: the deploy tests need$$missing (nginx at /usr/sbin/nginx, or set NGINX_PATH)."; \
	    echo "       Install with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

lock:
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-find-links \
	  --no-emit-index-url -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules staticfiles trainerhub/static/vendor
