#!/usr/bin/env bash
# Builds the trace tests' container image from scratch (no registry here): a jlink'ed JRE with
# the shared libraries it needs, busybox, the Java fixture function and a lambda-bootstrap.sh that
# runs the function against AWS_LAMBDA_RUNTIME_API (or an RIE binary, when one is provided); the
# Clojure and Scala fixture functions too, when their compilers are here (FUNCTION=clojure|scala).
# The image is labelled ni-config-test-inputs=<inputs-hash.sh's hash>: tests rebuild it when the
# label differs. Works with podman and docker (DOCKER_HOST as setup-docker.sh prints it).
# Usage: build-image.sh [ENGINE] [TAG]
set -euo pipefail
# a failing command in a function run by $(...) fails the build too
shopt -s inherit_errexit
engine=${1:-podman}
tag=${2:-localhost/ni-config-test/hello-java:latest}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
inputs=$(bash "$here/inputs-hash.sh")
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT

jlink --add-modules java.base,java.net.http,java.management,jdk.httpserver,jdk.unsupported --strip-debug --no-man-pages --no-header-files --compress=2 --output "$ctx/jre"
# every shared library the JRE's binaries load, at the same paths, and the loader
for f in "$ctx"/jre/bin/java $(find "$ctx/jre/lib" -name '*.so'); do
  ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done | grep -v "^$ctx" | sort -u | while read -r lib; do
  mkdir -p "$ctx$(dirname "$lib")"
  cp -L "$lib" "$ctx$lib"
done
mkdir -p "$ctx/bin" "$ctx/var/task" "$ctx/tmp"
cp "$(command -v busybox)" "$ctx/bin/busybox"
javac -d "$ctx/var/task" "$repo"/test/fixtures-java/hello/src/example/*.java
cp -r "$repo/test/fixtures-java/hello/resources/templates" "$ctx/var/task/"
# stage FIXTURE DEST MAIN: builds a fixture function on the host with its build.sh (which prints
# `java -cp JAR:...:OUT/classes:OUT/resources MAIN`), copies its classes and resources to DEST in
# the image and the jars it names to the same paths there, and prints the class path it runs with
# (it runs in a command substitution: its build directory goes when it ends)
stage() {
  local out run cp="" item
  out=$(mktemp -d)
  trap "rm -rf '$out'" EXIT
  run=$(bash "$repo/test/$1/build.sh" "$out/out" 2>"$out/build.log") || {
    cat "$out/build.log" >&2
    return 1
  }
  mkdir -p "$ctx$2"
  cp -r "$out/out/classes" "$out/out/resources" "$ctx$2/"
  for item in $(printf '%s' "${run#java -cp }" | sed "s/ ${3//./\\.}\$//" | tr ':' '\n'); do
    case "$item" in
      *.jar)
        mkdir -p "$ctx$(dirname "$item")"
        cp -L "$item" "$ctx$item"
        cp="$cp$item:"
        ;;
    esac
  done
  printf '%s' "$cp$2/classes:$2/resources"
}
# the Clojure fixture function (FUNCTION=clojure), AOT-compiled here on the host by its build.sh
# as a native-image build would have it (gen-class and clojure.core/compile into classes), run from
# those classes and clojure's own __init classes: Debian's clojure 1.11 and the jars its manifest
# names, at the same paths, then /var/clj/classes and /var/clj/resources
clj_cp=
if [ -f /usr/share/java/clojure.jar ]; then
  clj_cp=$(stage fixtures-clojure/hello /var/clj hello.core)
fi
# the Scala fixture function (FUNCTION=scala), compiled here on the host by its build.sh with
# Debian's scala 2.11, run from /var/scala/classes and /var/scala/resources with scala-library at
# the path build.sh names (its own Runtime API client over HttpURLConnection)
scala_cp=
if [ -f /usr/share/java/scala-library.jar ] && command -v scalac >/dev/null; then
  scala_cp=$(stage fixtures-scala/hello /var/scala hello.Main)
fi
# a stand-in for aws-lambda-rie (FakeRie.java says what it keeps of the real one's behaviour);
# its own JVM is not traced: the agent options go to the runtime it starts. It handles SIGTERM
# itself (jdk.internal.misc.Signal, so that the function's JRE needs no extra module).
mkdir -p "$ctx/rie"
javac --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -d "$ctx/rie" "$here/rie/FakeRie.java"
cat > "$ctx/rie/aws-lambda-rie" <<'RIE'
#!/bin/sh
if [ "${JAVA_TOOL_OPTIONS+set}" = set ]; then
  export NI_RUNTIME_JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS"
  unset JAVA_TOOL_OPTIONS
fi
exec /jre/bin/java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp /rie FakeRie "$@"
RIE
chmod +x "$ctx/rie/aws-lambda-rie"
cat > "$ctx/lambda-bootstrap.sh" <<BOOT
#!/bin/sh
# Runs the function; without AWS_LAMBDA_RUNTIME_API, under the Runtime Interface Emulator.
# FUNCTION=clojure runs the AOT-compiled Clojure function, FUNCTION=scala the Scala one; MAIN_CLASS names the Java one's main
# class (a wrong one is how the tests make a JVM that cannot start).
if [ -z "\${AWS_LAMBDA_RUNTIME_API:-}" ]; then
  if [ -x /rie/aws-lambda-rie ]; then exec /rie/aws-lambda-rie "\$0"; fi
  echo "no AWS_LAMBDA_RUNTIME_API and no /rie/aws-lambda-rie" >&2
  exit 2
fi
if [ "\${FUNCTION:-java}" = clojure ]; then
  cd /var/clj && exec /jre/bin/java -cp $clj_cp hello.core
fi
if [ "\${FUNCTION:-java}" = scala ]; then
  cd /var/scala && exec /jre/bin/java -cp $scala_cp hello.Main
fi
exec /jre/bin/java -cp /var/task "\${MAIN_CLASS:-example.Bootstrap}"
BOOT
chmod +x "$ctx/lambda-bootstrap.sh"
cat > "$ctx/Containerfile" <<'FILE'
FROM scratch
COPY . /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin:/jre/bin JAVA_TOOL_OPTIONS=-Xshare:auto
WORKDIR /var/task
ENTRYPOINT ["/lambda-bootstrap.sh"]
FILE
"$engine" build -q --label "ni-config-test-inputs=$inputs" -t "$tag" -f "$ctx/Containerfile" "$ctx" >/dev/null
echo "$tag"
