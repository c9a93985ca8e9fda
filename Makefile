# fou-analyse: the two commands in README.md are `make reports` and `make test`.
# Needs only python3 (>= 3.11) and make; everything else is installed into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.fou-installed
JOBS   ?=

.PHONY: setup reports test lint lab bench calibrate data clean browser-deps axe

## setup: create .venv (if missing) and install the package with its dependencies
setup: $(STAMP)

$(STAMP): pyproject.toml
	@echo "make setup: lager .venv og installerer fou-analyse med avhengigheter (første gang tar det noen minutter) …"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@echo "make setup: registrerer Jupyter-kjernen fou-analyse …"
	$(BIN)/python -m ipykernel install --sys-prefix --name fou-analyse \
		--display-name "Python (fou-analyse)" >/dev/null
	@touch $(STAMP)
	@echo "make setup: ferdig."

## data: rebuild data/processed/*.parquet from data/raw
data: setup
	$(BIN)/fou data build

## reports: build every report for every year that has data
reports: setup
	$(BIN)/fou data build
	$(BIN)/fou run $(if $(JOBS),--jobs $(JOBS),)

## test: the whole test suite (includes ruff and notebook hygiene)
test: setup
	@if command -v chromium >/dev/null && command -v npm >/dev/null; then $(MAKE) --no-print-directory axe; fi
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

## browser-deps: headless Chromium (Debian) and axe-core (npm) for the accessibility tests
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@$(MAKE) --no-print-directory axe

# axe: the axe-core script the browser tests inject (npm registry), into .cache/axe
axe:
	@test -f .cache/axe/node_modules/axe-core/axe.min.js || \
		npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@4

## lab: JupyterLab with the package importable and the fou-analyse kernel
lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks

## bench: performance benchmark (prints ratios, writes benchmarks/results.md)
bench: setup
	$(BIN)/python benchmarks/run.py

## calibrate: simulation studies of every interval (seeded, a few minutes; docs/calibration.md)
calibrate: setup
	$(BIN)/python benchmarks/calibrate.py

clean:
	rm -rf data/processed/*.parquet reports/* .cache
