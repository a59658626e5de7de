// Before `npm test`: checks that this machine has what the whole suite needs (the README's
// list) and says in one line what is missing, instead of letting dozens of tests fail on it.
// `npm run test:fast` needs none of it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const has = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const javaHome = () => {
  const r = spawnSync('java', ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  return /java\.home = (.*)/.exec(r.stderr ?? '')?.[1]?.trim();
};

const missing = [];
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) missing.push(`Node.js 20 or later (this is ${process.version})`);
if (!has('javac', ['-version']) || !has('jlink', ['--version'])) missing.push('a JDK 17 or later (javac, jlink)');
else {
  const home = javaHome();
  if (home && !existsSync(join(home, 'include', 'jni.h'))) missing.push(`the JDK's headers (${home}/include/jni.h)`);
}
if (!has('gcc')) missing.push('gcc');
if (!has('podman', ['info']) && !has('docker', ['info'])) missing.push('a working podman or docker');
if (!existsSync('/usr/share/java/clojure.jar')) missing.push("Debian's clojure");
if (!existsSync('/usr/share/java/scala-library.jar') || !has('scalac', ['-version'])) missing.push("Debian's scala");
if (!has('busybox', ['--help'])) missing.push('busybox-static');
if (!has('python3')) missing.push('python3');

if (missing.length > 0) {
  console.error(
    `npm test needs ${missing.join(', ')}. On Debian: see the README, Development, Tests (bash .ci/run installs them all); npm run test:fast runs the suites that need none of it.`,
  );
  process.exit(1);
}
