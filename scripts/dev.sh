#!/usr/bin/env bash
# nbhygiene developer entry point.
#   scripts/dev.sh setup   install what is missing (Chromium, the venv, node deps) and build
#   scripts/dev.sh start   setup, then JupyterLab with the extension on the demo notebook
#   scripts/dev.sh test    setup, then every test: lint, types, Python, TypeScript, UI, wheel
#   scripts/dev.sh wheel   the production wheel into dist/ (Node.js is needed to build it only)
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

# A stamp holds the hash of what a setup step depends on; the step is skipped while it matches,
# so a second `start` or `test` with nothing changed does not reinstall or rebuild.
content_hash() {
  find "$@" -type f -not -path '*/node_modules/*' -print0 2>/dev/null | sort -z |
    xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

stamp_ok() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

setup_node() {
  local hash stamp="$ROOT/node_modules/.nbhygiene-setup"
  hash=$(content_hash package.json yarn.lock .yarnrc.yml ui-tests/package.json ui-tests/yarn.lock)
  if stamp_ok "$stamp" "$hash" && [[ -d ui-tests/node_modules ]]; then
    step "JavaScript dependencies: up to date"
    return
  fi
  step "Installing the JavaScript dependencies"
  jlpm install
  (cd ui-tests && jlpm install)
  echo "$hash" >"$stamp"
}

setup_extension() {
  local hash stamp="$VENV/.nbhygiene-extension"
  hash=$(content_hash src style schema package.json tsconfig.json pyproject.toml install.json \
    jupyter-config yarn.lock)
  if stamp_ok "$stamp" "$hash" && [[ -f jupyterlab_nbhygiene/labextension/package.json ]]; then
    step "Extension: built and installed, sources unchanged"
    return
  fi
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
  echo "$hash" >"$stamp"
}

setup() {
  setup_system
  setup_python
  setup_gateway
  setup_node
  setup_extension
}

free_port() {
  python - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
while True:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            break
        except OSError:
            port += 1
print(port)
PY
}

run_start() {
  setup
  step "Starting JupyterLab on the demo notebook"
  local extra=() port token demo=/lab/tree/demo/hidden_state.ipynb
  [[ $EUID -eq 0 ]] && extra+=(--allow-root)
  port=$(free_port "${NBHYGIENE_PORT:-8888}")
  token=$(python -c 'import secrets; print(secrets.token_hex(24))')
  printf '\n  Open http://localhost:%s%s?token=%s\n\n' "$port" "$demo" "$token"
  # The labconfig there turns off the news toast for this server only. JupyterLab opens the
  # demo in a browser itself where one exists.
  export JUPYTER_CONFIG_PATH="$ROOT/scripts/jupyter-config${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
  exec jupyter lab "${extra[@]}" --ServerApp.root_dir="$ROOT" --port="$port" \
    --ServerApp.port_retries=0 --IdentityProvider.token="$token" --LabApp.default_url="$demo" "$@"
}

build_wheel() {
  # From the committed files only, in a clean copy: `python -m build` would skip the JS build
  # when a dev build of the labextension is present, and the wheel would ship it.
  step "Wheel: a clean production build into dist/"
  local tmp
  tmp=$(mktemp -d)
  git ls-files -z | xargs -0 -I{} cp --parents {} "$tmp"
  ln -s "$ROOT/node_modules" "$tmp/node_modules"
  (cd "$tmp" && pip wheel -q --no-build-isolation --no-deps . -w "$tmp/dist")
  mkdir -p "$ROOT/dist"
  WHEEL="$ROOT/dist/$(basename "$tmp"/dist/*.whl)"
  cp "$tmp"/dist/*.whl "$WHEEL"
  rm -rf "$tmp"
  echo "$WHEEL"
}

check_wheel() {
  build_wheel
  step "Wheel: it ships the labextension and enables the server extension"
  python - "$WHEEL" <<'PY'
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
    "jupyterlab_nbhygiene/pytest_plugin.py",
]
missing = [n for n in need if n not in names]
maps = [n for n in names if n.endswith(".js.map")]
if missing:
    sys.exit(f"wheel is missing: {missing}")
print(f"wheel ok: {len(names)} files, {len(maps)} source maps")
PY
}

check_wheel_install() {
  step "Wheel: installed into a fresh venv without Node.js, both extensions are enabled"
  local tmp venv started lab server cli rc
  started=$SECONDS
  tmp=$(mktemp -d)
  venv="$tmp/venv"
  python -m venv "$venv"
  # Only the new venv on PATH (no node, npm or jlpm), a HOME of its own (no user-level Jupyter
  # paths), the usual pip cache (a warm cache keeps this quick; deps come from the index).
  local -a clean=(env -u PYTHONPATH -u VIRTUAL_ENV -u JUPYTER_PATH -u JUPYTER_CONFIG_DIR
    -u JUPYTER_DATA_DIR "HOME=$tmp/home" "PATH=$venv/bin"
    "PIP_CACHE_DIR=${PIP_CACHE_DIR:-$HOME/.cache/pip}")
  if "${clean[@]}" /bin/sh -c 'command -v node' >/dev/null 2>&1; then
    echo "node is still on PATH" >&2
    exit 1
  fi
  "${clean[@]}" pip install -q "$WHEEL" "jupyterlab>=4.6,<5"
  lab=$("${clean[@]}" jupyter labextension list 2>&1)
  server=$("${clean[@]}" jupyter server extension list 2>&1)
  grep -q "jupyterlab_nbhygiene.*enabled.*OK" <<<"$lab" || { echo "$lab" >&2; exit 1; }
  grep -q "jupyterlab_nbhygiene.*enabled" <<<"$server" || { echo "$server" >&2; exit 1; }
  grep -q "jupyterlab_nbhygiene.*OK" <<<"$server" || { echo "$server" >&2; exit 1; }
  rc=0
  cli=$("${clean[@]}" nbhygiene analyze "$ROOT/demo/hidden_state.ipynb" 2>&1) || rc=$?
  [[ $rc -eq 1 ]] && grep -q "use-before-definition" <<<"$cli" || { echo "$cli" >&2; exit 1; }
  rm -rf "$tmp"
  echo "wheel install ok: lab and server extensions enabled, CLI works ($((SECONDS - started)) s)"
}

check_precommit() {
  step "pre-commit: the repository's hook (try-repo) and the documented local hook"
  local tmp started out rc
  started=$SECONDS
  tmp=$(mktemp -d)
  git -C "$tmp" init -q
  cp demo/hidden_state.ipynb "$tmp/hidden_state.ipynb"
  cat >"$tmp/.pre-commit-config.yaml" <<'YAML'
repos:
  - repo: local
    hooks:
      - id: nbhygiene
        name: nbhygiene
        entry: nbhygiene analyze
        language: system
        files: \.ipynb$
YAML
  git -C "$tmp" add -A
  # The hook needs only the CLI: SKIP_JUPYTER_BUILDER spares pre-commit's source install the
  # JupyterLab extension build (and Node.js).
  rc=0
  out=$(cd "$tmp" && SKIP_JUPYTER_BUILDER=1 PRE_COMMIT_HOME="$tmp/cache" \
    pre-commit try-repo "$ROOT" nbhygiene --all-files 2>&1) || rc=$?
  [[ $rc -eq 1 ]] && grep -q "use-before-definition" <<<"$out" || { echo "$out" >&2; exit 1; }
  rc=0
  out=$(cd "$tmp" && PRE_COMMIT_HOME="$tmp/cache" pre-commit run --all-files 2>&1) || rc=$?
  [[ $rc -eq 1 ]] && grep -q "use-before-definition" <<<"$out" || { echo "$out" >&2; exit 1; }
  rm -rf "$tmp"
  echo "pre-commit ok: try-repo and the local hook both flag the demo ($((SECONDS - started)) s)"
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

  step "UI: the same in Notebook 7 (jupyter notebook: verify button, View menu, panel, verify run)"
  (cd ui-tests && jlpm test:notebook)

  check_wheel
  check_wheel_install
  check_precommit
  step "All tests passed"
}

case "${1:-}" in
  setup) setup ;;
  start) shift; run_start "$@" ;;
  test) run_tests ;;
  wheel)
    setup_python
    setup_node
    build_wheel
    ;;
  *)
    echo "usage: scripts/dev.sh setup|start|test|wheel" >&2
    exit 2
    ;;
esac
