#!/usr/bin/env bash
# Registers the tslab (TypeScript) Jupyter kernel for this project only, inside .jupyter/.
#
#   npm run kernel                      # or: bash scripts/notebooks/install-kernel.sh
#   export JUPYTER_PATH="$PWD/.jupyter/share/jupyter"
#   jupyter notebook notebooks/         # pick the "TypeScript" kernel
#
# The kernel spec points at this checkout's node_modules/.bin/tslab and at the Debian Jupyter
# (/usr/bin/python3), so nothing is written to ~/.local or /usr. Re-running it is harmless.
# Set C360_JUPYTER_PREFIX to install somewhere else (the notebook tests do not need to).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
prefix="${C360_JUPYTER_PREFIX:-$root/.jupyter}"
python="${C360_JUPYTER_PYTHON:-/usr/bin/python3}"
binary="$root/node_modules/.bin/tslab"

if [ ! -x "$binary" ]; then
  echo "error: $binary not found: run npm install (tslab is a dependency of this project)" >&2
  exit 1
fi
if ! "$python" -c "import jupyter_client" 2>/dev/null; then
  echo "error: $python has no jupyter_client. On Debian: apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient" >&2
  exit 1
fi

"$binary" install --python="$python" --binary="$binary" --prefix="$prefix" >/dev/null
spec="$prefix/share/jupyter/kernels/tslab/kernel.json"
if [ ! -f "$spec" ]; then
  echo "error: tslab install did not write $spec" >&2
  exit 1
fi
echo "tslab kernel installed: $spec"
echo "Use it with:"
echo "  export JUPYTER_PATH=\"$prefix/share/jupyter\""
echo "JUPYTER_PATH=$prefix/share/jupyter"
