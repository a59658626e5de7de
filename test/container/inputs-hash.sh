#!/usr/bin/env bash
# Prints one hash of everything the test image is built from: this script, build-image.sh, the
# stand-in emulator, the Java, Clojure and Scala fixture functions (sources, resources, and the
# build.sh that compiles the Clojure and the Scala one), and what is copied from the host (the JDK
# that jlink and javac come from, busybox, Debian's clojure jars, its scala-library and scalac).
# build-image.sh labels the image with it (ni-config-test-inputs) and the tests rebuild an image
# whose label differs, so that a stale image is never reused.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
{
  cd "$repo"
  # the repository's files, by path and content (sorted, so the order of find does not count)
  find test/container/inputs-hash.sh test/container/build-image.sh test/container/rie \
    test/fixtures-java/hello/src test/fixtures-java/hello/resources \
    test/fixtures-clojure/hello/src test/fixtures-clojure/hello/resources test/fixtures-clojure/hello/build.sh \
    test/fixtures-scala/hello/src test/fixtures-scala/hello/resources test/fixtures-scala/hello/build.sh \
    -type f 2>/dev/null | LC_ALL=C sort | while read -r f; do
    printf '%s %s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"
  done
  # the JDK: where it is and what it says it is
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
  echo "jdk $jdk"
  cat "$jdk/release" 2>/dev/null || javac -version 2>&1
  echo "busybox $(sha256sum <"$(command -v busybox)" | cut -d' ' -f1)"
  if [ -f /usr/share/java/clojure.jar ]; then
    echo "clojure $(sha256sum </usr/share/java/clojure.jar | cut -d' ' -f1)"
  fi
  if [ -f /usr/share/java/scala-library.jar ] && command -v scalac >/dev/null; then
    echo "scala-library $(sha256sum </usr/share/java/scala-library.jar | cut -d' ' -f1)"
    scalac -version 2>&1
  fi
} | sha256sum | cut -c1-16
