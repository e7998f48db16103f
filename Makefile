# Một Cửa — every set-up step lives here, so a fresh Debian machine with Python 3.11 needs only
# `make demo` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the tests need: a real browser, PDF/text rendering, fonts with Vietnamese letters.
DEBIAN_TEST_PACKAGES := chromium chromium-driver libpango-1.0-0 libpangoft2-1.0-0 zbar-tools \
	libharfbuzz-subset0 poppler-utils fonts-liberation2 fonts-croscore fonts-noto-core

.PHONY: install system-deps demo test test-fast lint bench format clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Installs the Debian packages when run as root and they are missing; otherwise says what is missing.
system-deps:
	@missing=$$(for p in $(DEBIAN_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Cài gói Debian: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "Thiếu gói Debian (chạy với quyền root để cài): $$missing"; \
	fi

demo: install
	$(BIN)/motcua demo

# pytest exits 5 when it collects no test; that is not a failure of the suite.
test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

test-fast: install
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/motcua makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache
