#!/usr/bin/env bash
# Compiles the Scala fixture function with Debian's scala 2.11 (apt-get install scala) into
# OUTDIR/classes, copies its resources to OUTDIR/resources, and prints the java command that runs
# it, with scala-library on the class path.
# Usage: build.sh OUTDIR
set -euo pipefail
out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
library=/usr/share/java/scala-library.jar
if ! command -v scalac >/dev/null || [ ! -f "$library" ]; then
  echo "build.sh: no scalac or no $library: install Debian's scala (apt-get install scala)" >&2
  exit 2
fi
version=$(scalac -version 2>&1)
case "$version" in
  *"version 2.11."*) ;;
  *) echo "build.sh: expected scala 2.11, found: $version" >&2; exit 2 ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/classes" "$out/resources"
mkdir -p "$out/classes"
scalac -feature -deprecation -d "$out/classes" "$here"/src/hello/*.scala >&2
cp -r "$here/resources" "$out/resources"
echo "java -cp $library:$out/classes:$out/resources hello.Main"
