#!/usr/bin/env bash
# The diff against the base revision: annotations on the new entries, and a markdown file for
# the sticky comment. Outputs: changed=true|false, file=PATH (empty when there is no base).
set -uo pipefail
ni=${NI_CONFIG_BIN:-ni-config}
read -r -a paths <<< "${NI_PATHS:-}"
if [ -z "${NI_BASE:-}" ]; then
  echo "no base revision (not a pull request, and no base input): no diff"
  echo "changed=false" >> "$GITHUB_OUTPUT"
  echo "file=" >> "$GITHUB_OUTPUT"
  exit 0
fi
# a shallow checkout may not hold the base commit
if ! git cat-file -e "$NI_BASE^{commit}" 2>/dev/null; then
  git fetch --no-tags --quiet --depth=1 origin "$NI_BASE" || true
fi
file="${RUNNER_TEMP:-/tmp}/ni-config-diff.md"
"$ni" diff --base "$NI_BASE" --format github "${paths[@]}"
code=$?
[ "$code" -ge 2 ] && exit "$code"
"$ni" diff --base "$NI_BASE" --format markdown --title "${NI_TITLE:-native-image metadata}" --exit-code "${paths[@]}" > "$file"
code=$?
case "$code" in
  0) echo "changed=false" >> "$GITHUB_OUTPUT" ;;
  1) echo "changed=true" >> "$GITHUB_OUTPUT" ;;
  *) exit "$code" ;;
esac
echo "file=$file" >> "$GITHUB_OUTPUT"
