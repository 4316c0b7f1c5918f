# Two commands do all the set-up:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
TORCH  := torch==2.13.0
PIP    := $(PY) -m pip install --disable-pip-version-check -q

.PHONY: install run test test-fuzz test-reliability test-ray test-all browser-deps bench clean

# The venv is rebuilt when pyproject.toml changes. torch comes first, pinned:
# 2.13.0 is a local CPU wheel here; any other spec pulls GBs of CUDA packages.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) $(TORCH)
	$(PIP) -e '.[dev,indictrans2]'
	touch $@

install: $(VENV)/.installed

$(VENV)/.installed-ray: $(VENV)/.installed
	$(PIP) -e '.[dev,indictrans2,ray]'
	touch $@

# Batch-translate the five sample articles into out/ with the default presets, downloading them
# first where the model hub is reachable (elsewhere: stops in seconds, saying how to get them).
DEFAULT_MODELS := hplt distilbart-cnn
run: install
	@for m in $(DEFAULT_MODELS); do \
	  $(VENV)/bin/hindi-brief models path $$m >/dev/null 2>&1 || $(VENV)/bin/hindi-brief models pull $$m || exit 2; \
	done
	$(VENV)/bin/hindi-brief run seeds/ -o out/

# Headless Chromium and a Devanagari font for the browser test (Debian packages).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans Devanagari'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core; \
	  else \
	    echo "The browser test needs /usr/bin/chromium and fonts-noto-core: sudo apt-get install chromium fonts-noto-core" >&2; exit 2; \
	  fi; \
	fi

test: install browser-deps
	$(VENV)/bin/ruff check translate tests bench app.py
	$(PY) -m pytest

# The long hypothesis run (>= 10,000 generated inputs).
test-fuzz: install
	$(PY) -m pytest -m fuzz

# Long runs at scale: a 200-article batch killed at five random points, 50 concurrent web users.
test-reliability: install
	$(PY) -m pytest -m reliability

# The seeds on a local 2-CPU Ray cluster, compared file by file with the local engine.
test-ray: $(VENV)/.installed-ray
	$(PY) -m pytest -m ray

test-all: test test-fuzz test-reliability test-ray

bench: install
	$(PY) bench/segmentation.py
	$(PY) bench/speed.py --quick

clean:
	rm -rf out/ .pytest_cache test-artifacts
