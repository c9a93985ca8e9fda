# fou-analyse: the two commands in README.md are `make reports` and `make test-all` (what CI
# runs); `make test` is the quick tier for iterating.
# Needs only python3 (>= 3.11) and make; everything else is installed into .venv, in exactly
# the versions in uv.lock (uv is bootstrapped into .venv with pip).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.fou-installed
JOBS   ?=
# `make reports PUBLICATION_DATE=2026-03-02`: the date under every title (and in the PDFs)
PUBLICATION_DATE ?=
# pytest workers: `make test-all TEST_JOBS=0` runs the suite in one process
TEST_JOBS ?= auto
# the lowest Python the project supports (pyproject.toml: requires-python)
PY_MIN := 3.11
KERNEL := fou-analyse
KERNEL_DISPLAY := Python (fou-analyse)
# the uv release pinned in uv.lock, installed into .venv by the bootstrap
UV_VERSION := $(shell sed -n '/^name = "uv"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' uv.lock)

# uv reads no pip configuration: it installs from the URLs recorded in uv.lock. Never let it
# download an interpreter: .venv uses $(PYTHON).
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
UV := $(BIN)/uv
# our own code (src/, tests/) gets byte code written even where the environment sets
# PYTHONDONTWRITEBYTECODE: every kernel and test worker imports it anew (benchmarks/results.md)
NOBYTECODE_OFF := PYTHONDONTWRITEBYTECODE=
PIP_OPTS := --disable-pip-version-check --no-input

.PHONY: setup check-python reports pdf test test-slow test-all lint lab kernel-user lock lock-upgrade bench calibrate \
	data clean browser-deps axe mutate

# "3.11.7" for an interpreter, empty when it is missing or broken
py_version = $(shell $(1) -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
VENV_PY := $(call py_version,$(BIN)/python)
STAMP_PY := $(shell sed -n 's/^python //p' $(STAMP) 2>/dev/null)
venv_ok = $(shell printf '%s\n%s\n' "$(PY_MIN)" "$(1)" | sort -V -C && echo yes)

# .venv is rebuilt when its interpreter is missing, broken or too old, has changed since the
# last set-up (the stamp records it), or differs from a PYTHON given on the command line
# (`make setup PYTHON=python3.12`)
REBUILD := $(strip \
	$(if $(VENV_PY),,yes) \
	$(if $(call venv_ok,$(VENV_PY)),,yes) \
	$(if $(STAMP_PY),$(if $(filter $(STAMP_PY),$(VENV_PY)),,yes)) \
	$(if $(filter command line,$(origin PYTHON)),$(if \
		$(filter $(call py_version,$(PYTHON)),$(VENV_PY)),,yes)))

REMOVE_VENV = @if [ -d $(VENV) ]; then echo "$(VENV) er laget med en annen eller ødelagt \
	Python ($(or $(VENV_PY),virker ikke)), lager den på nytt med $(PYTHON)"; rm -rf $(VENV); fi

## setup: check Python, create .venv and install exactly the versions in uv.lock
setup: $(STAMP)

## check-python: stop with a clear message unless $(PYTHON) is Python >= 3.11
check-python:
	@found=$$($(PYTHON) -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null); \
	if [ -z "$$found" ]; then \
		echo "Feil: fant ikke Python ('$(PYTHON)' kan ikke kjøres). fou-analyse trenger" \
			"Python $(PY_MIN) eller nyere." >&2; \
		echo "Installer Python $(PY_MIN)+ og kjør på nytt, f.eks. 'make setup PYTHON=python3.11'." >&2; \
		exit 1; \
	fi; \
	if ! printf '%s\n%s\n' "$(PY_MIN)" "$$found" | sort -V -C; then \
		echo "Feil: '$(PYTHON)' er Python $$found, men fou-analyse trenger Python $(PY_MIN)" \
			"eller nyere." >&2; \
		echo "Installer Python $(PY_MIN)+ og kjør på nytt, f.eks. 'make setup PYTHON=python3.11'." >&2; \
		exit 1; \
	fi

# .venv with uv in it (all that `make lock` needs)
$(UV): $(if $(REBUILD),check-python)
	$(if $(REBUILD),$(REMOVE_VENV))
	@test -x $(BIN)/python || { echo "Lager $(VENV) med $(PYTHON)"; \
		$(PYTHON) -m venv --without-pip $(VENV); }
	@# uv with pip: the pip of $(PYTHON) installs it into .venv (fast); without one, .venv gets pip
	@test -x $(UV) || { echo "Installerer uv $(UV_VERSION) i $(VENV)"; \
		$(PYTHON) -m pip --python $(BIN)/python install $(PIP_OPTS) "uv==$(UV_VERSION)" || { \
		$(BIN)/python -m ensurepip --upgrade >/dev/null && \
		$(BIN)/python -m pip install $(PIP_OPTS) "uv==$(UV_VERSION)"; } || { \
		echo "Feil: fikk ikke installert uv i $(VENV): $(PYTHON) har verken pip eller" \
			"ensurepip (Debian/Ubuntu: apt install python3-venv python3-pip)." >&2; \
		exit 1; }; }

$(STAMP): pyproject.toml uv.lock $(UV)
	@echo "Installerer de låste versjonene fra uv.lock"
	@# --compile-bytecode: the packages get their byte code now, once; without it every
	@# process (each notebook kernel, each test worker) compiles pandas, scipy, statsmodels
	@# ... again when the environment sets PYTHONDONTWRITEBYTECODE
	@$(UV) sync --locked --compile-bytecode --extra dev --group setup || { \
		echo "Feil: installasjonen fra uv.lock feilet. Står det at uv.lock ikke stemmer med" \
			"pyproject.toml, kjør 'make lock' og commit uv.lock." >&2; exit 1; }
	@$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
		--display-name "$(KERNEL_DISPLAY)" >/dev/null
	@$(BIN)/python -c 'import sys; print("python %d.%d.%d" % sys.version_info[:3])' > $(STAMP)
	@echo "Ferdig: $(VENV) har de låste versjonene ($$(cat $(STAMP)))"

## lock: update uv.lock after a change in pyproject.toml (keeps the locked versions it can)
lock: $(UV)
	$(UV) lock
	@echo "Husk: pinn de samme versjonene i environment.yml (en test sjekker det)"

## lock-upgrade: move every package in uv.lock to its newest allowed version
lock-upgrade: $(UV)
	$(UV) lock --upgrade
	@echo "Husk: pinn de samme versjonene i environment.yml (en test sjekker det)"

## data: rebuild data/processed/*.parquet from data/raw
data: setup
	$(BIN)/fou data build

## reports: build every report for every year that has data (fou run rebuilds data/processed
## first when the raw files changed)
RUN_OPTS = $(if $(JOBS),--jobs $(JOBS),) \
	$(if $(PUBLICATION_DATE),--publication-date $(PUBLICATION_DATE),)

reports: setup
	$(NOBYTECODE_OFF) $(BIN)/fou run $(RUN_OPTS)

## pdf: as reports, and each report for the ministry also as an A4 PDF beside its HTML
## (needs Chromium: `make browser-deps`, or FOU_CHROMIUM=/path/to/chromium)
pdf: setup
	$(NOBYTECODE_OFF) $(BIN)/fou run --pdf $(RUN_OPTS)

# pytest in parallel: one test file per worker, so that module fixtures are made once
PYTEST := $(NOBYTECODE_OFF) $(BIN)/python -m pytest $(if $(filter-out 0,$(TEST_JOBS)),-n $(TEST_JOBS) --dist loadfile,)
QUICK  := not slow and not browser

## test: the quick tier (≤ 3 min with set-up): every test that runs no notebook, builds no
## report and starts no browser (includes ruff and notebook hygiene); see docs/testing.md
test: setup
	$(PYTEST) -m "$(QUICK)"

## test-slow: the other tier: notebooks, report builds, kernels, the browser (axe-core)
test-slow: setup
	@if command -v chromium >/dev/null && command -v npm >/dev/null; then $(MAKE) --no-print-directory axe; fi
	$(PYTEST) -m "not ($(QUICK))"

## test-all: the whole suite in one run (both tiers): the README's test command, what CI runs
test-all: setup
	@if command -v chromium >/dev/null && command -v npm >/dev/null; then $(MAKE) --no-print-directory axe; fi
	$(PYTEST)

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
## (as root, e.g. in a container, JupyterLab needs --allow-root; added automatically)
lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

## kernel-user: make the kernel "Python (fou-analyse)" visible to every JupyterLab of this
## user (system-wide or conda), not only to the one in .venv
kernel-user: setup
	$(BIN)/python -m ipykernel install --user --name $(KERNEL) --display-name "$(KERNEL_DISPLAY)"

## bench: performance benchmark (prints ratios, writes benchmarks/results.md)
bench: setup
	$(BIN)/python benchmarks/run.py

## mutate: mutation testing (mutmut) of the modules that carry numbers to a reader, one module
## at a time with nice; writes benchmarks/mutation.md (MODULES="methods/stats.py ..." for some)
mutate: setup
	$(NOBYTECODE_OFF) $(BIN)/python benchmarks/mutate.py $(foreach m,$(MODULES),--module $(m))

## calibrate: simulation studies of every interval (seeded, a few minutes; docs/calibration.md)
calibrate: setup
	$(BIN)/python benchmarks/calibrate.py

## clean: remove what is generated (processed data, everything under reports/ but its README)
clean:
	rm -rf data/processed/*.parquet .cache
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
