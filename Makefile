# Every target sets up .venv on first use, so on a fresh machine `make test` alone works.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo docs generate check-generated lint spec test golden test-pythons bench clean \
	diff api-check api-snapshot dist

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e . --group dev
	touch $(STAMP)

setup: $(STAMP)

## demo: one scripted call through the example IVR (gunicorn) on the local platform
demo: $(STAMP)
	$(PY) -m examples.demo

## generate: write generated/ from spec/ and codegen/; print what changed for users
generate: $(STAMP)
	$(PY) -m codegen generate

## api-check: fail when the public API changed without the version and CHANGELOG.md saying so
api-check: $(STAMP)
	$(PY) -m codegen api-check

## api-snapshot: record the public API in api/public-api.json (after an intended change)
api-snapshot: $(STAMP)
	$(PY) -m codegen api-snapshot

## dist: the wheel and sdist of HEAD, from a clean checkout, byte for byte reproducible
dist: $(STAMP)
	$(PY) -m codegen.dist

## check-generated: fail, with a diff, if generated/ differs from a fresh generation
check-generated: $(STAMP)
	$(PY) -m codegen check

## golden: refresh tests/golden/*/expected after an intended change to the generator (review the diff)
golden: $(STAMP)
	$(PY) -m tests.golden.update

## lint: ruff and mypy --strict on the generator and the generated package
lint: $(STAMP)
	$(PY) -m ruff check codegen generated tests examples bench spec/tools noxfile.py
	$(PY) -m ruff format --check codegen tests examples bench spec/tools noxfile.py
	$(PY) -m mypy codegen generated/sinch_voice

## spec: the spec checks alone (fidelity, validity, examples, overlay)
spec: $(STAMP)
	$(PY) -m pytest tests/spec -q

## test: everything: generated/ up to date, lint, the whole test suite
test: $(STAMP) check-generated lint
	$(PY) -m pytest -q -n auto --dist loadfile

## test-pythons: the same check on Python 3.10, 3.11, 3.12 and 3.13 (nox; each in its venv)
test-pythons: $(STAMP)
	$(PY) -m nox --sessions tests

## docs: the guide and the reference, built into site/ (opens from disk: site/index.html)
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

## bench: the benchmarks, side by side (not part of test); writes BENCHMARKS.md
bench: $(STAMP)
	# wrk (Debian's package) is the load generator; without it a Python one is used, and said so
	command -v wrk >/dev/null || (command -v apt-get >/dev/null && apt-get update -qq && apt-get install -y -qq wrk) || true
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist site
