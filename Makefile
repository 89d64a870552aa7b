# The course's commands (see the README). `make book` builds the book and `make test` runs every test;
# both create .venv with the pinned packages on first run. `make check` is the quick loop.

# The newest Python 3.13, 3.12 or 3.11 that runs here, or PYTHON=... (pyenv's shims exist for versions
# that are not active, so each candidate is run, not just looked up).
PYTHON ?= $(firstword $(foreach p,python3.13 python3.12 python3.11 python3,$(shell $(p) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' >/dev/null 2>&1 && echo $(p))))
VENV   ?= .venv
BIN    := $(VENV)/bin
HTML   := _build/html
WORKERS ?= 2   # pytest-xdist workers for `make test` (the machines here have two cores)
# Which Python built the venv: a venv made by another version is made anew.
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)

.PHONY: book test check bench pdf epub exercises instructor lock icons serve clean python

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is at $(HTML)/index.html"
	@echo "Serve it locally:  make serve   (then open http://127.0.0.1:8000)"

# The print editions (buber_course/print_edition.py): the course as one PDF and one PDF per lesson,
# printed by Chromium from the built book (brought up to date first) into _build/pdf/ and the book's
# download menu; and an EPUB, by Sphinx's epub builder in folders of its own, into _build/epub/.
pdf: book
	@chromium=$$($(BIN)/python tests/chromium.py) && CHROMIUM="$$chromium" $(BIN)/python -m buber_course.print_edition pdf

epub: $(STAMP)
	$(BIN)/python -m buber_course.print_edition epub

# The whole suite: a strict build from clean, every notebook executed, the pages in headless Chromium.
test: $(STAMP) node_modules/.runtime
	@$(BIN)/python tests/epubcheck.py >/dev/null || true
	@chromium=$$($(BIN)/python tests/chromium.py) && CHROMIUM="$$chromium" $(BIN)/pytest -n $(WORKERS)

# The quick loop while editing a table, a module or a lesson's data: the tests that need no build and
# no browser (a minute or less).
check: $(STAMP)
	$(BIN)/pytest -m "not book" -q

# Page weight, build times and Lighthouse scores of every page (see README, "Benchmark").
bench: $(STAMP) node_modules/.all
	@chromium=$$($(BIN)/python tests/chromium.py) && CHROMIUM="$$chromium" $(BIN)/python tests/benchmark.py $(BENCH_ARGS)

# The learners' exercise notebooks exercises/lesson-N.md, made again from exercises/questions.yml.
exercises: $(STAMP)
	$(BIN)/python -m buber_course.exercise_notebooks

# The instructors' version for nbgrader: exercises/instructor/ (source/ with solutions and hidden
# tests, release/ made by nbgrader's generate_assignment). Not kept in git.
instructor: $(STAMP)
	$(BIN)/python -m buber_course.exercise_notebooks --instructor

serve: $(HTML)/index.html
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(HTML) 8000

$(HTML)/index.html:
	$(MAKE) book

python:
	@test -n "$(PYTHON)" || { echo "No Python 3.11, 3.12 or 3.13 found: install one, or name it with PYTHON=/path/to/python3.12"; exit 1; }
	@$(PYTHON) -c pass >/dev/null 2>&1 || { echo "Cannot run PYTHON=$(PYTHON): name a Python 3.11, 3.12 or 3.13 that runs here"; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "$(PYTHON) is Python %d.%d; the course needs Python 3.11, 3.12 or 3.13 (name one with PYTHON=...)" % v)'

$(STAMP): pyproject.toml requirements.lock | python
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# npm packages for the tests (axe-core, and the icons' SVG files that a test compares with the
# vendored icons.css); the benchmark adds Lighthouse. Building the book needs none of them.
node_modules/.runtime: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund
	touch $@

node_modules/.all: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@ node_modules/.runtime

# Write buber_course/sphinx_ext/static/icons.css again from the pinned FontAwesome SVGs (after a
# theme upgrade that shows a new icon).
icons: $(STAMP) node_modules/.runtime
	$(BIN)/python -m buber_course.sphinx_ext.icons

# Renew the lock after changing a pin in pyproject.toml (in a fresh venv, so nothing stale slips in).
# One lock serves Python 3.11-3.13; check a new one on each with `make test PYTHON=python3.1x`.
lock: | python
	rm -rf /tmp/buber-lock-venv && $(PYTHON) -m venv /tmp/buber-lock-venv
	/tmp/buber-lock-venv/bin/pip install --quiet -e ".[test]"
	(echo "# Every Python package the book, its notebooks and its tests use, pinned (made by \`make lock\`)."; \
	 /tmp/buber-lock-venv/bin/pip freeze --exclude-editable | grep -v '^buber-course') > requirements.lock

clean:
	rm -rf _build
