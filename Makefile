# Hero HQ: every target sets up .venv on first use, so each is the only command a newcomer needs.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
REPORTS := reports
# The specification needs neither hardening plugin (schemathesis, hypothesis), whose imports cost
# seconds in every process and xdist worker (hq_spec.SPEC_ONLY_ARGS says the same for Python).
# The in-process specification alone takes a few seconds: on two cores, starting xdist workers costs
# more than they save (make bench prints the speed-up, in-process and live), so make spec runs it
# in one process unless told otherwise (make spec SPEC_WORKERS=4).
SPEC_WORKERS ?= 0
SPEC_ONLY := -p no:schemathesis -p no:hypothesispytest
# One worker per core for make test where there is more than one core.
# (Read with the system python3: on a fresh clone .venv does not exist yet when make starts.)
WORKERS := $(shell python3 -c "import os; n=os.cpu_count() or 1; print(n if n > 1 else 0)" 2>/dev/null || echo 0)

.PHONY: setup spec test serve serve-cluster lint bench glossary reliability clean studio

# Cucumber's own tools (npm, pinned by package-lock.json) read the stream in plugin/tests.
INTEROP := plugin/tests/interop
NODE_STAMP := $(INTEROP)/node_modules/.package-lock.json

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml plugin/pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ./plugin -e ".[dev]"
	touch $(STAMP)

$(NODE_STAMP): $(INTEROP)/package.json $(INTEROP)/package-lock.json
	npm ci --prefix $(INTEROP) --no-audit --no-fund --loglevel=error

spec: $(STAMP)
	$(VENV)/bin/hq-spec check
	mkdir -p $(REPORTS)
	$(PY) -m pytest features $(SPEC_ONLY) -n $(SPEC_WORKERS) --gherkin-terminal-reporter \
		--cucumber-messages=$(REPORTS)/cucumber-messages.ndjson; \
	status=$$?; \
	$(VENV)/bin/hq-spec report --messages $(REPORTS)/cucumber-messages.ndjson \
		--out $(REPORTS)/living-docs || status=1; \
	exit $$status

# The plugin's own tests run from plugin/ (its own configuration) with Hero HQ's modules refused:
# plugin/tests/isolation/sitecustomize.py, on PYTHONPATH, refuses hero_hq and steps in every process.
test: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/hq-spec check
	cd plugin && PYTHONPATH=tests/isolation ../$(PY) -m pytest tests -n $(WORKERS)
	$(PY) -m pytest tests features -n $(WORKERS)
	# The specification again, over real sockets, each scenario on two desks (HQ servers) sharing
	# one redis-server: every scenario proves itself across desks.
	$(PY) -m pytest features $(SPEC_ONLY) --hq-cluster 2 -n $(WORKERS)

serve: $(STAMP)
	$(VENV)/bin/hero-hq serve

# HQ on several workers sharing a local redis-server (Debian's package), data in reports/redis;
# Ctrl-C stops both. make serve-cluster CLUSTER_WORKERS=4 REDIS_PORT=6391 to change them.
CLUSTER_WORKERS ?= 2
REDIS_PORT ?= 6390
serve-cluster: $(STAMP)
	@command -v redis-server >/dev/null || { echo "serve-cluster needs redis-server: apt-get install redis-server"; exit 1; }
	mkdir -p $(REPORTS)/redis
	redis-server --port $(REDIS_PORT) --bind 127.0.0.1 --dir $(CURDIR)/$(REPORTS)/redis \
		--appendonly yes --appendfsync always --save "" --logfile redis.log & \
	redis=$$!; trap 'kill $$redis 2>/dev/null' EXIT; \
	for attempt in $$(seq 50); do redis-cli -p $(REDIS_PORT) ping >/dev/null 2>&1 && break; sleep 0.1; done; \
	HQ_REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/0 $(VENV)/bin/hero-hq serve --workers $(CLUSTER_WORKERS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The scenario studio: write, check, run and save scenarios in the browser (loopback only).
studio: $(STAMP)
	$(VENV)/bin/hq-spec studio

glossary: $(STAMP)
	$(VENV)/bin/hq-spec steps --output features/GLOSSARY.md

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) $(REPORTS) *.egg-info

reliability: $(STAMP)
	$(PY) -m tests.hardening.reliability
