# The course's commands. Quick start (README): `make book`, then `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# MathJax is served from the site itself (the book must render its math offline); npm fetches it once.
MATHJAX_VERSION := 3.2.2
MATHJAX := book/_assets/mathjax/tex-mml-chtml.js

# The data sets: ../shared/data when it is there (course machines, CI), else the user cache / download.
SHARED_DATA := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED_DATA)/SHA256SUMS),)
export RNN_COURSE_DATA ?= $(SHARED_DATA)
endif

CHAPTERS := $(shell ls book/chapters/*.ipynb 2>/dev/null)
SOLUTIONS := $(wildcard solutions/*/*.ipynb)

ASSIGNMENTS := $(notdir $(wildcard solutions/*))

.PHONY: setup book execute exercises lint test test-browser test-fast clean

setup: $(STAMP) $(MATHJAX)

$(MATHJAX):
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/npm mathjax@$(MATHJAX_VERSION)
	mkdir -p book/_assets/mathjax/output/chtml/fonts book/_assets/mathjax/input/tex
	cp $(VENV)/npm/node_modules/mathjax/es5/tex-mml-chtml.js book/_assets/mathjax/
	cp -r $(VENV)/npm/node_modules/mathjax/es5/output/chtml/fonts/woff-v2 book/_assets/mathjax/output/chtml/fonts/
	cp -r $(VENV)/npm/node_modules/mathjax/es5/input/tex/extensions book/_assets/mathjax/input/tex/

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $@

## Build the HTML book from the committed notebooks (no execution): _build/html/index.html
book: setup
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Open _build/html/index.html"

## Re-run every chapter in full on the real data and store the outputs (slow: see README)
execute: setup
	for nb in $(CHAPTERS); do \
	  echo "== $$nb"; \
	  env -u RNN_COURSE_SMOKE $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=7200 "$$nb" || exit 1; \
	done
	$(BIN)/python -m course_lib.notebook_noise $(CHAPTERS)

## Regenerate the student versions in exercises/ from solutions/ (commit the result)
exercises: setup
	for a in $(ASSIGNMENTS); do PATH="$(abspath $(BIN)):$$PATH" $(BIN)/nbgrader generate_assignment $$a --force; done
	rm -f gradebook.db

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell course_lib tests book/*.md README.md

## Everything CI checks: lint, unit tests, committed-notebook checks, the book build, the exercise
## package end to end (nbgrader), and every chapter (smoke mode) and reference solution re-run with nbval.
test: setup lint
	RNN_COURSE_SMOKE=1 PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest tests $(CHAPTERS) $(SOLUTIONS) --nbval-lax \
	  --nbval-current-env --durations=10

## The built site in headless Chromium (Debian's chromium package; installed here if missing)
test-browser: book
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(BIN)/python -m pytest browser_tests -p no:cacheprovider

test-fast: setup
	$(BIN)/python -m pytest tests -m "not nbgrader"

clean:
	rm -rf _build .pytest_cache .ruff_cache book/results/smoke
