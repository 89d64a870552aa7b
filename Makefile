# The course's commands. `make book` builds the book, `make test` runs every test; both install what
# they need on first run (a .venv with the pinned packages, the npm packages, Debian's chromium).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HTML   := _build/html

.PHONY: book test bench student lock serve clean

book: $(VENV)/.installed node_modules/.runtime
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is at $(HTML)/index.html"
	@echo "Serve it locally:  make serve   (then open http://127.0.0.1:8000)"

test: $(VENV)/.installed node_modules/.runtime /usr/bin/chromium
	$(BIN)/pytest

# Page weight, build times and Lighthouse scores of every page (see README, "Benchmark").
bench: $(VENV)/.installed node_modules/.all /usr/bin/chromium
	$(BIN)/python tests/benchmark.py

# The learners' version of the exercises, without solutions, made by nbgrader: exercises/student/
student: $(VENV)/.installed
	$(BIN)/python -m buber_course.student

serve: $(HTML)/index.html
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(HTML) 8000

$(HTML)/index.html:
	$(MAKE) book

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# npm packages: icons the build vendors and axe-core for the tests; the benchmark adds Lighthouse.
node_modules/.runtime: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund
	touch $@

node_modules/.all: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@ node_modules/.runtime

/usr/bin/chromium:
	apt-get update -qq && apt-get install -y -qq chromium

# Renew the lock after changing a pin in pyproject.toml (in a fresh venv, so nothing stale slips in).
lock:
	rm -rf /tmp/buber-lock-venv && $(PYTHON) -m venv /tmp/buber-lock-venv
	/tmp/buber-lock-venv/bin/pip install --quiet -e ".[test]"
	(echo "# Every Python package the book, its notebooks and its tests use, pinned (made by \`make lock\`)."; \
	 /tmp/buber-lock-venv/bin/pip freeze --exclude-editable | grep -v '^buber-course') > requirements.lock

clean:
	rm -rf _build
