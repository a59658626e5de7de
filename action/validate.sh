#!/usr/bin/env bash
# Validates with GitHub annotations; records valid=true|false instead of failing, so that the
# diff and the comment still happen. Exit 2 (unreadable input, bad usage) fails at once.
set -uo pipefail
ni=${NI_CONFIG_BIN:-ni-config}
read -r -a paths <<< "${NI_PATHS:-}"
strict=()
[ "${NI_STRICT:-false}" = "true" ] && strict=(--strict)
"$ni" validate --format github "${strict[@]}" "${paths[@]}"
code=$?
case "$code" in
  0) echo "valid=true" >> "$GITHUB_OUTPUT" ;;
  1) echo "valid=false" >> "$GITHUB_OUTPUT" ;;
  *) echo "valid=false" >> "$GITHUB_OUTPUT"; exit "$code" ;;
esac
