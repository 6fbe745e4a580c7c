# The two commands a newcomer needs: `make demo` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= demo-output

.PHONY: demo test lint venv clean benchmark

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check cjreturns tests benchmarks
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/ruff check cjreturns tests benchmarks
	$(BIN)/ruff format --check cjreturns tests benchmarks
	$(BIN)/mypy

# Times every stage against its floor (several minutes). Faster: make benchmark BENCH=--quick
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH)

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache .mypy_cache .ruff_cache
