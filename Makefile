# Two commands on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Keep library warnings out of notebook stderr (nbval compares stderr) and out of logs.
export PYTHONWARNINGS := ignore::DeprecationWarning,ignore::FutureWarning

.PHONY: install report test notebooks lab validate benchmark clean

install: $(STAMP)

# The stamp is rebuilt whenever the pins change.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), f"Python 3.11 or newer required, found {sys.version.split()[0]}; set PYTHON=python3.11"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

report: install
	$(VENV)/bin/sco-research render --output-dir reports

# Both cores; --dist loadscope keeps each notebook's cells in one worker (nbval runs them in order, one kernel).
test: install
	$(PY) -m pytest tests notebooks $(NBVAL) -n 2 --dist loadscope
	$(PY) -m pytest --doctest-modules sco_research -q -n 2

notebooks: install
	$(VENV)/bin/sco-research refresh-notebooks

validate: install
	$(VENV)/bin/sco-research validate

lab: install
	$(VENV)/bin/jupyter lab notebooks/

benchmark: install
	$(PY) benchmarks/bench_import.py
	$(PY) benchmarks/bench_map.py
	$(PY) benchmarks/bench_render.py

clean:
	rm -rf $(VENV) reports .pytest_cache
