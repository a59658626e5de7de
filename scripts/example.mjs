// The quick start's main job: traces the bundled example function (test/fixtures-java/hello, a
// Java Lambda function with its own Runtime API client) with `ni-config trace --cmd`, under the
// real native-image agent when GRAALVM_HOME names a GraalVM, else under the stand-in agent built
// from test/agent (it says which), then validates what was written to build/example/.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildAgent } from './build-agent.mjs';

const repo = resolve(import.meta.dirname, '..');
const fn = join(repo, 'test', 'fixtures-java', 'hello');
const out = join(repo, 'build', 'example');
const classes = join(repo, 'build', 'example-classes');
const graal = process.env.GRAALVM_HOME;
const agent = graal ? join(graal, 'lib', 'libnative-image-agent.so') : buildAgent();
console.log(
  graal
    ? `tracing with the GraalVM native-image agent (${agent})`
    : `no GRAALVM_HOME: tracing with the stand-in agent (${agent})`,
);

rmSync(classes, { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
mkdirSync(classes, { recursive: true });
execFileSync(graal ? join(graal, 'bin', 'javac') : 'javac', [
  '-d',
  classes,
  ...readdirSync(join(fn, 'src', 'example')).map((f) => join(fn, 'src', 'example', f)),
]);
cpSync(join(fn, 'resources', 'templates'), join(classes, 'templates'), { recursive: true });
const cli = (args) =>
  execFileSync(process.execPath, [join(repo, 'bin', 'ni-config.js'), ...args], { cwd: fn, stdio: 'inherit' });
cli([
  'trace',
  '--cmd',
  `${graal ? join(graal, 'bin', 'java') : 'java'} -cp ${classes} example.Bootstrap`,
  '--agent-path',
  agent,
  '--events',
  'events/*.json',
  '--preset',
  'default',
  '-o',
  out,
]);
cli(['validate', out]);
console.log(`the traced metadata is in ${out}`);
