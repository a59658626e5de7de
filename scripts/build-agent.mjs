// Builds the stand-in native-image agent (test/agent/native-image-agent.c) into
// build/agent/libnative-image-agent.so with gcc against the installed JDK's jvmti.h.
// Used by the trace tests where no GraalVM is installed; prints the library's path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const source = join(repo, 'test', 'agent', 'native-image-agent.c');
const out = join(repo, 'build', 'agent', 'libnative-image-agent.so');

/** The installed JDK's home, from the settings java prints on stderr. */
export function javaHome() {
  const settings = execFileSync('sh', ['-c', 'java -XshowSettings:properties -version 2>&1'], { encoding: 'utf8' });
  const home = /java\.home = (.+)/.exec(settings)?.[1]?.trim();
  if (!home) throw new Error('cannot tell the JDK home: java -XshowSettings:properties printed no java.home');
  return home;
}

export function buildAgent() {
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) return out;
  const home = javaHome();
  if (!existsSync(join(home, 'include', 'jvmti.h')))
    throw new Error(`no jvmti.h under ${home}: install a JDK (apt-get install openjdk-17-jdk-headless)`);
  mkdirSync(join(repo, 'build', 'agent'), { recursive: true });
  execFileSync(
    'gcc',
    [
      '-O2',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-shared',
      '-fPIC',
      `-I${join(home, 'include')}`,
      `-I${join(home, 'include', 'linux')}`,
      '-o',
      out,
      source,
      '-lpthread',
    ],
    { stdio: 'inherit' },
  );
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(buildAgent());
