# The README's two commands: `make run` (embedded default, no services) and
# `make test` (the real services). `make bench`, `make lint` and
# `make screenshots` are for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links that leave the site (the order mail's) point where `make run` serves.
SITE_URL ?= http://$(HOST):$(PORT)
# `make run` serves VietQR through the stand-in payOS on this port, with its
# demo keys (marketplace/payments/payos_standin); webhooks go to the shop.
PAYOS_STANDIN_PORT ?= 8766
PAYOS_STANDIN_ENV := PAYOS_CLIENT_ID=standin-client PAYOS_API_KEY=standin-api-key \
	PAYOS_CHECKSUM_KEY=standin-checksum-key PAYOS_BASE_URL=http://127.0.0.1:$(PAYOS_STANDIN_PORT)

# Where `make test` finds the services `.ci/services.sh start` runs.
TEST_ENV := DJANGO_SETTINGS_MODULE=marketplace.settings.test \
	DATABASE_URL=postgres://ocop:ocop@127.0.0.1:5432/ocop \
	REDIS_URL=redis://127.0.0.1:6379/0 \
	OPENSEARCH_URL=http://127.0.0.1:9200 \
	STRIPE_API_BASE=http://127.0.0.1:12111 \
	STRIPE_SECRET_KEY=sk_test_123 \
	STRIPE_PUBLISHABLE_KEY=pk_test_123 \
	CHROMIUM_PATH=/usr/bin/chromium

.PHONY: venv run test services bench lint format messages screenshots clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	@touch $@

run: venv
	$(BIN)/python manage.py migrate --noinput
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py demo_setup
	@echo "Serving on $(SITE_URL)/ (shop: /shop/, dashboard: /dashboard/, CMS: /cms-admin/)"
	@echo "Stand-in payOS on http://127.0.0.1:$(PAYOS_STANDIN_PORT)/ (VietQR; its checkout link has a 'pay' button)"
	$(BIN)/python -m marketplace.payments.payos_standin --port $(PAYOS_STANDIN_PORT) \
		--webhook-url $(SITE_URL)/payments/payos/webhook/ & standin=$$!; \
	trap 'kill $$standin 2>/dev/null' EXIT INT TERM; \
	SITE_URL=$(SITE_URL) $(PAYOS_STANDIN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

services:
	.ci/services.sh install
	.ci/services.sh start

test: venv services
	$(TEST_ENV) $(BIN)/pytest

# The HTTP section's catalogue sizes; e.g. `make bench BENCH_HTTP_SIZES=2000`
# for a quick look (each size keeps its own database; 100,000 takes minutes
# to build the first time).
BENCH_HTTP_SIZES ?= 2000,20000,100000
# 1,2: also every page through nginx in front of two web processes, as a ratio
BENCH_HTTP_WEB ?= 1

bench: venv services
	$(BIN)/python tests/bench/run.py --out bench-results/bench.json \
		--http-sizes $(BENCH_HTTP_SIZES) --http-web-processes $(BENCH_HTTP_WEB)

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh locale/en and locale/vi (and their .mo) from what the shop serves;
# then fill the empty entries. tests/i18n fails while any is empty.
messages: venv
	$(BIN)/python manage.py messages_update

screenshots: venv services
	$(TEST_ENV) SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest tests/e2e -k screenshots

clean:
	rm -rf $(VENV) var db.sqlite3 bench-results
