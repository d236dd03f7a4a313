# Two commands for users: `make run` and `make test`. `make run` creates .venv and
# installs what the dashboard needs (requirements.txt, spaCy model included);
# `make test` adds the test, benchmark and optional tools (requirements-dev.txt).
# Each install leaves a stamp, so a second run installs nothing until its file changes.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install install-dev run test clean

# Order-only: the venv's python is a symlink whose date is the system python's.
$(BIN)/python:
	@echo "==> creating the environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# pip's own lines (Collecting, Downloading with a progress bar) show the long install.
$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	@echo "==> installing the dashboard's packages (about 240 MB to download, a few minutes on first run)"
	$(BIN)/pip install --progress-bar on -r requirements.txt
	touch $(RUNTIME_STAMP)

# After the runtime stamp: a venv made (or updated) by `make run` gets the tools again.
$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	@echo "==> installing the test and benchmark tools (requirements-dev.txt)"
	$(BIN)/pip install --progress-bar on -r requirements-dev.txt
	touch $(DEV_STAMP)

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

run: $(RUNTIME_STAMP)
	@echo "==> preparing the demo corpus (data/samples)"
	$(BIN)/python -m lib ingest data/samples
	@echo "==> starting the dashboard at http://localhost:$(PORT)"
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(DEV_STAMP)
	@# pytest exits 5 when it collected no test: a run that tests nothing fails, and says so
	$(BIN)/python -m pytest -q $(PYTEST_ARGS) || { status=$$?; \
		if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; exit $$status; }

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.wal
