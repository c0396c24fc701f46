# Two commands do everything on a fresh machine: `make test` and `make run`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# checkov pins an old boto3, so it gets a venv of its own (tests/infra/test_checkov.py runs it).
CHECKOV_VENV  ?= .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
comma  := ,

.PHONY: install test lint format run bench openapi clean synth bootstrap deploy destroy train

# Infrastructure (infra/README.md). STAGE=dev|prod; ALARM_EMAIL subscribes an address to alarms.
STAGE       ?= dev
ALARM_EMAIL ?=
export AWS_DEFAULT_REGION ?= us-east-1
CDK_CONTEXT := -c stage=$(STAGE) $(if $(ALARM_EMAIL),-c alarm_email=$(ALARM_EMAIL))
CDK         := cd infra && npx --no-install cdk

$(STAMP): requirements.txt requirements-dev.txt requirements-infra.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) infra/package_cache.py
	@touch $(STAMP)

$(CHECKOV_STAMP): requirements-checkov.txt
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	@touch $(CHECKOV_STAMP)

install: $(STAMP)

# The gates: lint (with complexity and commented-out code), format, types. The layering and
# cold-import tests run with the suite (tests/unit/test_layers.py, test_cold_import.py).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The console's browser tests (tests/browser) need Chromium; without it they are skipped and
# this says so (under CI=true they fail instead: .ci/run installs Chromium first).
CHROMIUM ?= /usr/bin/chromium

# Two pytest-xdist workers, one per core; the suites that start a local runtime stay whole on
# one worker each (tests/conftest.py schedules them). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2

test: lint $(CHECKOV_STAMP)
	@test -x $(CHROMIUM) || echo "make test: browser tests SKIPPED: no Chromium at $(CHROMIUM) (apt-get install chromium)"
	$(PY) -m pytest -n $(TEST_WORKERS)

run: install
	$(PY) -m local

# Rebuild the shipped listening model from the shipped corpus (deterministic: same corpus, same
# bytes). CORRECTIONS=file adds a deployment's corrections (GET /corrections?format=jsonl).
CORRECTIONS ?=
train: install
	$(PY) -m chalicelib.listening.train $(if $(CORRECTIONS),--corrections $(CORRECTIONS))

openapi: install
	$(PY) -m local.openapi

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/classify.py
	$(PY) bench/intake.py
	$(PY) bench/publish.py
	$(PY) bench/sla.py
	$(PY) bench/reports.py
	$(PY) bench/cost.py
	$(PY) bench/burst.py

# Synthesise the CloudFormation template into cdk.out/ with Python alone; offline after
# `make install`, which primes Chalice's Lambda package cache in .chalice/deployments/.
synth: install
	rm -rf chalice.out cdk.out
	CDK_CONTEXT_JSON='{"stage":"$(STAGE)"$(if $(ALARM_EMAIL),$(comma)"alarm_email":"$(ALARM_EMAIL)")}' $(PY) infra/cdk_app.py
	@echo "template: cdk.out/$(STAGE).template.json"

infra/node_modules/.installed: infra/package.json infra/package-lock.json
	cd infra && npm ci --no-audit --no-fund
	@touch $@

# Once per AWS account and region: the bucket and roles the CDK deploys with.
bootstrap: install infra/node_modules/.installed
	$(CDK) bootstrap

deploy: install infra/node_modules/.installed
	rm -rf infra/chalice.out
	$(CDK) deploy $(CDK_CONTEXT) --require-approval broadening

destroy: install infra/node_modules/.installed
	$(CDK) destroy $(CDK_CONTEXT)

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .pytest_cache .ruff_cache cdk.out chalice.out infra/cdk.out infra/chalice.out
