#!/usr/bin/env bash
# nbhygiene developer entry point.
#   scripts/dev.sh setup   install what is missing (Chromium, the venv, node deps) and build
#   scripts/dev.sh start   setup, then JupyterLab with the extension on the demo notebook
#   scripts/dev.sh test    setup, then every test: lint, types, Python, TypeScript, UI, wheel
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VENV="$ROOT/.venv"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2
    return 1
  fi
}

setup_system() {
  if [[ ! -x /usr/bin/chromium ]]; then
    step "Installing Debian's Chromium for the UI tests"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium fonts-liberation
  fi
  command -v node >/dev/null || { echo "Node.js 20+ is required" >&2; exit 2; }
}

setup_python() {
  if [[ ! -x "$VENV/bin/python" ]]; then
    step "Creating the virtual environment"
    python3 -m venv "$VENV"
  fi
  # shellcheck disable=SC1091
  source "$VENV/bin/activate"
  if ! python -c "import jupyterlab, jupyter_builder, hatch_jupyter_builder, editables" 2>/dev/null; then
    step "Installing the build requirements"
    pip install -q --upgrade pip
    pip install -q "jupyterlab>=4.6,<5" "jupyter-builder>=1.0" "hatchling>=1.5" \
      "hatch-jupyter-builder>=0.5" "hatch-nodejs-version>=0.3.2" editables
  fi
}

setup_gateway() {
  # Jupyter Enterprise Gateway for the gateway tests (tests/gateway): its own venv, because it
  # pins an older jupyter_server; ipykernel there runs the gateway's kernels.
  local eg="$ROOT/.venv-eg"
  if ! "$eg/bin/python" -c "import enterprise_gateway, ipykernel" 2>/dev/null; then
    step "Installing Jupyter Enterprise Gateway for the gateway tests (.venv-eg)"
    [[ -x "$eg/bin/python" ]] || python3 -m venv "$eg"
    "$eg/bin/pip" install -q "jupyter_enterprise_gateway>=3.2,<4" ipykernel \
      2> >(grep -v "is ignored: it is neither" >&2)
  fi
}

setup_node() {
  step "Installing the JavaScript dependencies"
  jlpm install
  (cd ui-tests && jlpm install)
}

setup_extension() {
  step "Building and installing the extension (editable)"
  jlpm build
  pip install -q -e ".[test]" --no-build-isolation 2> >(grep -v "is ignored: it is neither" >&2)
  jupyter-builder develop --overwrite . >/dev/null
  # Captured first: `grep -q` closing the pipe early would fail the pipeline under pipefail.
  local lab server
  lab=$(jupyter labextension list 2>&1)
  server=$(jupyter server extension list 2>&1)
  grep -q "jupyterlab_nbhygiene.*OK" <<<"$lab" || { echo "$lab" >&2; exit 1; }
  grep -q "jupyterlab_nbhygiene.*OK" <<<"$server" || { echo "$server" >&2; exit 1; }
}

setup() {
  setup_system
  setup_python
  setup_gateway
  setup_node
  setup_extension
}

run_start() {
  setup
  step "Starting JupyterLab on the demo notebook"
  local extra=()
  [[ $EUID -eq 0 ]] && extra+=(--allow-root)
  exec jupyter lab "${extra[@]}" --ServerApp.root_dir="$ROOT/demo" "$ROOT/demo/hidden_state.ipynb" "$@"
}

check_wheel() {
  step "Wheel: a clean production build ships the labextension and enables the server extension"
  local tmp
  tmp=$(mktemp -d)
  git ls-files -z | xargs -0 -I{} cp --parents {} "$tmp"
  ln -s "$ROOT/node_modules" "$tmp/node_modules"
  (cd "$tmp" && pip wheel -q --no-build-isolation --no-deps . -w "$tmp/dist")
  python - "$tmp"/dist/*.whl <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
data = "jupyterlab_nbhygiene-0.1.0.data/data/"
need = [
    data + "share/jupyter/labextensions/jupyterlab_nbhygiene/package.json",
    data + "share/jupyter/labextensions/jupyterlab_nbhygiene/install.json",
    data + "share/jupyter/labextensions/jupyterlab_nbhygiene/schemas/jupyterlab_nbhygiene/plugin.json",
    data + "share/jupyter/labextensions/jupyterlab_nbhygiene/static/style.js",
    data + "etc/jupyter/jupyter_server_config.d/jupyterlab_nbhygiene.json",
    "jupyterlab_nbhygiene/analysis/analyzer.py",
]
missing = [n for n in need if n not in names]
maps = [n for n in names if n.endswith(".js.map")]
if missing:
    sys.exit(f"wheel is missing: {missing}")
print(f"wheel ok: {len(names)} files, {len(maps)} source maps")
PY
  rm -rf "$tmp"
}

run_tests() {
  setup
  step "Python: ruff and mypy (strict)"
  ruff check jupyterlab_nbhygiene tests benchmarks
  ruff format --check jupyterlab_nbhygiene tests benchmarks
  mypy

  step "TypeScript: prettier, eslint, jest"
  jlpm lint:check
  jlpm test

  step "Python: pytest (analyzer, rules, CLI, routes on a real server, verify with real kernels)"
  python -m pytest -q

  step "UI: galata in Debian's Chromium against a real JupyterLab"
  (cd ui-tests && jlpm playwright test)

  check_wheel
  step "All tests passed"
}

case "${1:-}" in
  setup) setup ;;
  start) shift; run_start "$@" ;;
  test) run_tests ;;
  *)
    echo "usage: scripts/dev.sh setup|start|test" >&2
    exit 2
    ;;
esac
