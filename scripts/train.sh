#!/usr/bin/env bash
# Regenerates the bundled models in models/ (builds the jar first if needed). Arguments go to the
# trainer, e.g. scripts/train.sh --seed 20261126.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

build_if_needed
exec java -jar "$JAR" train --out models "$@"
