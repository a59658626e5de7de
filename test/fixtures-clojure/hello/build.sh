#!/usr/bin/env bash
# AOT-compiles the fixture function as a native-image build does (gen-class + clojure.core/compile
# into OUTDIR/classes, resources copied to OUTDIR/resources), with Debian's clojure 1.11
# (apt-get install clojure) and the jars its manifest's Class-Path names. Prints the java command
# that runs the compiled function from its __init classes; the source form keeps working too:
#   java -cp /usr/share/java/clojure.jar:src:resources clojure.main -m hello.core
# Usage: build.sh OUTDIR
set -euo pipefail
out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
clojure=/usr/share/java/clojure.jar
if [ ! -f "$clojure" ]; then
  echo "build.sh: no $clojure: install Debian's clojure (apt-get install clojure)" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
classes=$out/classes
rm -rf "$classes" "$out/resources"
mkdir -p "$classes"
cp -r "$here/resources" "$out/resources"

# the jars clojure.jar's manifest names (spec.alpha, core.specs.alpha), read by the JDK itself
# so that no unzip is needed
jars=$(java -cp "$clojure" clojure.main -e '
(let [m (.getManifest (java.util.jar.JarFile. "'"$clojure"'"))
      v (clojure-version)]
  (when-not (.startsWith v "1.11.")
    (binding [*out* *err*] (println "build.sh: expected clojure 1.11, found" v))
    (System/exit 2))
  (println (clojure.string/join ":" (cons "'"$clojure"'" (clojure.string/split (.getValue (.getMainAttributes m) "Class-Path") #" ")))))')

# *warn-on-reflection* shows the one call left to clojure.lang.Reflector on purpose (in `first-of`)
java -Dhello.compile-path="$classes" -cp "$jars:$classes:$here/src" clojure.main -e '
(binding [*compile-path* (System/getProperty "hello.compile-path")
          *warn-on-reflection* true]
  (compile (quote hello.core))
  nil)' >&2

echo "java -cp $jars:$classes:$out/resources hello.core"
