# The two commands: `make run` and `make test`. Both install whatever is missing first; a second run is fast.
SHELL := /bin/bash
VENV := .venv
STAMP := $(VENV)/.installed-stamp
BUN := .tools/bun/node_modules/.bin/bun
ENV := source scripts/env.sh &&


.PHONY: run test setup system-packages clean

setup: system-packages $(STAMP) $(BUN)

system-packages:
	@scripts/system-packages.sh

$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

$(BUN):
	npm install --prefix .tools/bun --no-audit --no-fund --loglevel=error bun@1.4.4

run: setup
	@scripts/run.sh

test: setup
	@$(ENV) python -m pytest tests --ignore=tests/browser -q
	@$(ENV) python -m pytest tests/browser -q -p no:asyncio -W ignore::pytest.PytestConfigWarning

clean:
	rm -rf .web .states var .pytest_cache
