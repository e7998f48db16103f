# Một Cửa — every set-up step lives here, so a fresh Debian machine with Python 3.11 needs only
# `make demo` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the app needs to make PDFs (Pango, HarfBuzz) with fonts that have every
# Vietnamese letter (the old fonts-liberation lacks ơ, ư, ạ…).
# OCRmyPDF with Tesseract's Vietnamese data gives scanned components a searchable text layer.
# Ghostscript makes the PDF/A-2b copies of the archive hand-over (ADR 0042).
DEBIAN_RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-liberation2 fonts-croscore fonts-noto-core ocrmypdf tesseract-ocr tesseract-ocr-vie ghostscript
# ...and the tests: a real browser, PDF-to-text/image tools, a QR/barcode decoder.
# LibreOffice opens the generated DOCX reports in a test, as a reader would (and turns DOCX drafts
# into PDF/A); /readyz pings a real Redis server. nginx and Redis: two app servers behind the
# installation's nginx configuration share state in Redis (tests/deploy/test_two_servers.py;
# MOTCUA_TEST_REDIS_URL). pg_dump/pg_restore for the backup round trips. SoftHSM2 and OpenSC's
# pkcs11-tool make a signing token, NSS's certutil lets pdfsig trust the test root.
DEBIAN_TEST_PACKAGES := $(DEBIAN_RUNTIME_PACKAGES) chromium chromium-driver poppler-utils zbar-tools \
	postgresql-client redis-server nginx softhsm2 opensc libnss3-tools \
	libreoffice-writer-nogui
# ...and the benchmarks: an HTTP load generator.
DEBIAN_BENCH_PACKAGES := wrk nginx redis-server

.PHONY: install system-deps runtime-deps demo test test-fast lint typecheck-coverage bench format clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Install Debian packages when run as root and they are missing; otherwise say what is missing.
define apt_ensure
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Cài gói Debian: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "Thiếu gói Debian (chạy với quyền root để cài): $$missing"; \
	fi
endef

system-deps:
	$(call apt_ensure,$(DEBIAN_TEST_PACKAGES))

runtime-deps:
	$(call apt_ensure,$(DEBIAN_RUNTIME_PACKAGES))

demo: install runtime-deps
	$(BIN)/motcua demo

# pytest exits 5 when it collects no test; that is not a failure of the suite.
# TEST_WORKERS: parallel pytest-xdist workers (auto: one per core; 0 runs in one process). Each
# worker has its own test database (test_motcua_gw0, …) and metrics folder (config/settings/test.py).
TEST_WORKERS ?= auto
test: install system-deps
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

test-fast: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/motcua makemigrations --check --dry-run
	$(BIN)/mypy

# The share of motcua/'s functions that mypy checks (pyproject.toml lists what it does not yet).
typecheck-coverage:
	$(BIN)/python tools/typecheck_coverage.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# SCALE=small (under 3 minutes), 1m or 10m dossiers; each scale keeps its own PostgreSQL database
# (motcua_bench_<scale>, or BENCH_DATABASE_URL), generated on first use and reused.
# BENCH="tracking worklist" runs only those benchmarks; PROFILE=1 prints where their time goes.
# SCALE=soak: the small data set, then a fixed-rate mix for BENCH_SOAK_SECONDS (600) against two
# servers behind nginx, sharing Redis (bench/bench_soak.py; needs nginx and Redis).
SCALE ?= small
bench: install
	$(call apt_ensure,$(DEBIAN_BENCH_PACKAGES))
	$(BIN)/python -m bench --scale $(SCALE) $(if $(PROFILE),--profile) $(BENCH)

clean:
	rm -rf $(VENV) var .pytest_cache
