# The two commands a newcomer needs: `make demo` and `make test`. Both set up .venv first, from
# the lock file (uv.lock), so every newcomer and CI get the environment the tests
# last passed in. Needs only Python 3.11+ and make: uv is bootstrapped with pip into .tools/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV_VERSION := 0.13.8
UV := $(TOOLS)/bin/uv
LOCK := uv.lock
STAMP := $(VENV)/.installed
OUT ?= demo-output
# What the lock covers: the package with its dev/test tools (and any optional extras it has).
EXTRAS := --extra dev --extra portal

.PHONY: serve demo test lint layers venv lock upgrade test-latest clean benchmark check-page

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Installs exactly the lock (--frozen: never re-resolved; uv checks every file's hash), then the
# project itself, editable and without resolving anything.
# --compile-bytecode writes every dependency's .pyc at install time. Where Python may not write
# them itself (PYTHONDONTWRITEBYTECODE=1, as on the project's machines and in many containers),
# each new interpreter would otherwise compile Django, pandas and the rest from source again, and
# the suite starts hundreds of them (the CLI run as a user runs it, fresh-interpreter imports).
$(STAMP): $(LOCK) pyproject.toml | $(UV)
	test -x $(BIN)/python || $(UV) venv --quiet --python $(PYTHON) $(VENV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --quiet --frozen --no-install-project \
		$(EXTRAS) --compile-bytecode --python $(BIN)/python
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/cjreturns validate examples/returns/2021-22 --year 2021-22
	$(BIN)/cjreturns aggregate examples/returns/2021-22 --year 2021-22 --out $(OUT)/aggregate --force
	@echo "National counts, tables and talking points: $(OUT)/aggregate/ (aggregate.json, national-tables.xlsx, talking-points.md, table-*.csv)"
	$(BIN)/cjreturns report examples/returns/2021-22 --year 2021-22 --context examples/context-2021-22.yaml --out $(OUT)/national-report-2021-22.docx --force
	@echo "National report draft (Word): $(OUT)/national-report-2021-22.docx"
	$(BIN)/cjreturns template --year 2021-22 --out $(OUT)/return-2021-22.xlsx --force
	@echo "Blank return workbook for coordinators: $(OUT)/return-2021-22.xlsx"
	@echo "The current framework (2023 CJPF, returns from 2023-24): the 2024-25 collection"
	$(BIN)/cjreturns validate examples/returns/2024-25 --year 2024-25
	$(BIN)/cjreturns aggregate examples/returns/2024-25 --year 2024-25 --out $(OUT)/aggregate-2024-25 --force
	$(BIN)/cjreturns report examples/returns/2024-25 --year 2024-25 --context examples/context-2024-25.yaml --out $(OUT)/national-report-2024-25.docx --force
	$(BIN)/cjreturns template --year 2026-27 --out $(OUT)/return-2026-27.xlsx --force
	@echo "2024-25: $(OUT)/aggregate-2024-25/, $(OUT)/national-report-2024-25.docx; blank 2026-27 workbook: $(OUT)/return-2026-27.xlsx"

# The offline check page for coordinators: one HTML file, opened from disk, that runs this
# validator in the browser (Pyodide). npm ci installs exactly checkpage/package-lock.json.
CHECK_PAGE := dist/check-your-return.html
NPM_STAMP := checkpage/node_modules/.package-lock.json

$(NPM_STAMP): checkpage/package-lock.json checkpage/package.json
	cd checkpage && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

check-page: $(STAMP) $(NPM_STAMP)
	$(BIN)/python checkpage/build.py --out $(CHECK_PAGE)

# The collection portal on a fresh SQLite register with demo accounts and the example returns.
SERVE_DB := $(OUT)/portal/register.sqlite3
serve: $(STAMP)
	rm -f $(SERVE_DB) $(SERVE_DB)-wal $(SERVE_DB)-shm
	mkdir -p $(OUT)/portal
	$(BIN)/cjreturns serve --demo examples/returns/2021-22 --database sqlite:///$(SERVE_DB) --port $(or $(PORT),8000)

# The suite runs on every core (pytest-xdist; a test file's tests stay together in one worker,
# so each module's fixtures are built once). In one process: make test PYTEST_WORKERS=0
# The browser tests open the page built from this checkout, so it is built first.
PYTEST_WORKERS ?= auto
test: $(STAMP) check-page
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile
	$(BIN)/lint-imports
	$(BIN)/ruff check cjreturns tests benchmarks checkpage
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check cjreturns tests benchmarks checkpage
	$(BIN)/ruff format --check cjreturns tests benchmarks checkpage
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# After changing dependencies in pyproject.toml: re-resolve, keeping every pin that still fits.
lock: | $(UV)
	$(UV) lock

# Moves every pin to the newest version that fits pyproject.toml; review the diff, run make test.
upgrade: | $(UV)
	$(UV) lock --upgrade

# The suite against the newest versions of everything (not the lock), in .venv-latest, so
# drift upstream is seen before it reaches the lock (versions used: .venv-latest/versions.txt).
# Linters stay as pinned in pyproject. A part of the suite: make test-latest PYTEST_ARGS=tests/x.py
test-latest: | $(UV)
	rm -rf .venv-latest
	$(UV) venv --quiet --python $(PYTHON) .venv-latest
	$(UV) pip install --quiet --python .venv-latest/bin/python --upgrade -e '.[dev,portal]'
	.venv-latest/bin/pip list --format=freeze > .venv-latest/versions.txt
	.venv-latest/bin/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Times every stage against its floor (several minutes). Faster: make benchmark BENCH=--quick
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH)

clean:
	rm -rf $(VENV) .venv-latest $(TOOLS) $(OUT) build dist checkpage/node_modules .pytest_cache .mypy_cache .ruff_cache
