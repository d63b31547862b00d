# Two commands on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Keep library warnings out of notebook stderr (nbval compares stderr) and out of logs. Not for `make lab`:
# there, researchers see the deprecation warnings of their own code.
report test notebooks figures validate benchmark: export PYTHONWARNINGS := ignore::DeprecationWarning,ignore::FutureWarning

.PHONY: install bytecode report test notebooks figures lab validate benchmark clean

install: $(STAMP)

# The stamp is rebuilt whenever the pins change.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), f"Python 3.11 or newer required, found {sys.version.split()[0]}; set PYTHON=python3.11"'
	$(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned environment of requirements.lock into $(VENV) (about 3 minutes the first time)..."
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The package's bytecode, compiled once for every worker and kernel of a run (report, test, notebooks, figures).
# Where PYTHONDONTWRITEBYTECODE is set (as in many containers) Python writes no __pycache__, so each of the dozens of
# processes of a render or a test run compiled the package again (about 0.1 CPU-s each, measured); compileall writes
# only what changed (git-ignored).
bytecode: install
	@$(PY) -m compileall -q sco_research

# Reports whose inputs are unchanged are reused; `make report RENDER_ARGS=--force` renders everything again.
report: bytecode
	$(VENV)/bin/sco-research render --output-dir reports $(RENDER_ARGS)

# One run on both cores: the tests, nbval on every committed notebook and the docstring examples.
# --dist loadscope keeps each notebook's cells (and each module's shared render) in one worker, and
# --no-loadscope-reorder keeps the order conftest.py gives (longest first; xdist would otherwise sort the units by
# how many tests they hold, so a long module of few tests could start last and run alone). Three workers
# on two cores: kernel tests spend part of their time waiting on their kernel, and a third worker fills it
# (about 8 % less wall time than two, measured side by side on 2 cores).
# It starts by checking every data file once, into a new, empty cache folder: bad data stop the run at once with
# every problem listed (not as hundreds of failing tests). The tests then read that folder's snapshot (conftest.py),
# every worker and kernel, instead of each worker checking the same files again; `pytest` run alone starts from an
# empty cache of its own.
test: bytecode
	@checked=$$(mktemp -d) && trap 'rm -rf "$$checked"' EXIT && set -x && \
	SCO_RESEARCH_CACHE_DIR="$$checked" $(VENV)/bin/sco-research validate && \
	SCO_RESEARCH_CHECKED_CACHE_DIR="$$checked" \
	$(PY) -m pytest tests notebooks sco_research --doctest-modules $(NBVAL) -n 3 --dist loadscope --no-loadscope-reorder -q

# Maintainers: re-execute the committed notebooks (for nbval) after a data or code change.
notebooks: bytecode
	$(VENV)/bin/sco-research refresh-notebooks

# Maintainers: re-draw the figures the README shows (the only command that writes into figures/).
figures: bytecode
	$(VENV)/bin/sco-research readme-figures

validate: install
	$(VENV)/bin/sco-research validate

# JupyterLab on copies of the notebooks in lab/ (git-ignored), made on first use: exploring and saving there leaves
# the committed notebooks, which nbval checks, as they are. `rm -rf lab` for fresh copies; maintainers edit notebooks/
# itself (`.venv/bin/jupyter lab notebooks/`). As root (a container), JupyterLab needs --allow-root.
lab: install
	@[ -d lab ] || $(VENV)/bin/sco-research notebooks lab
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) lab/

benchmark: install
	$(PY) benchmarks/bench_import.py
	$(PY) benchmarks/bench_map.py
	$(PY) benchmarks/bench_render.py --with-tests

clean:
	rm -rf $(VENV) reports .pytest_cache
