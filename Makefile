# Two commands for users: `make run` and `make test`. Both create .venv and
# install the pinned requirements (spaCy model included) on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: install run test clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m lib ingest data/samples
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(STAMP)
	@# pytest exits 5 when it collected no test: a run that tests nothing fails, and says so
	$(BIN)/python -m pytest -q $(PYTEST_ARGS) || { status=$$?; \
		if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; exit $$status; }

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.wal
