/** The built binary, spawned as a user runs it (NO_COLOR=1, no TTY). Run `npm run build` first; `npm test` does. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { commandReference } from '../../scripts/readme-commands.mjs';
import {
  BYTECODE_FLUSH_DEFAULT_FLAG,
  BYTECODE_FLUSH_FLAG,
  INTERRUPT_BUDGET_DEFAULT_FLAG,
  INTERRUPT_BUDGET_FLAG,
} from '../../src/cli/v8-tuning.js';
import { CHECKSUM_FLAG, CODE_CACHE_ENV, bundleIdentity, writeCache } from '../../src/io/code-cache.js';

const BIN = join(REPO, 'bin', 'ni-config.js');
const work = mkdtempSync(join(tmpdir(), 'ni-config-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[], options: { cwd?: string; asUser?: boolean } = {}) {
  const argv = [process.execPath, BIN, ...args];
  // As root every file is readable; an unreadable file needs an ordinary user.
  const command =
    options.asUser && process.getuid?.() === 0
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv]
      : argv;
  const r = spawnSync(command[0]!, command.slice(1), {
    cwd: options.cwd ?? work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the ni-config binary', () => {
  it('prints its version', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(cli(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('tunes V8 before a command runs, and not for --version or help (the loader asks for a checksum of the cache)', () => {
    // a preloaded module reports each flag set (the bundle requires node:v8, whose object it patches)
    const hook = join(work, 'flags-hook.mjs');
    writeFileSync(
      hook,
      [
        "import v8 from 'node:v8';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'const set = v8.setFlagsFromString;',
        'v8.setFlagsFromString = (f) => { process.stderr.write(`v8 flag: ${f}\\n`); set(f); };',
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const cache = join(work, 'tuned-cache');
    const run = (args: string[], codeCache = 'off') =>
      spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, BIN, ...args], {
        encoding: 'utf8',
        env: { ...process.env, [CODE_CACHE_ENV]: codeCache },
      });
    const dir = join(work, 'tuned');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'reflect-config.json'), '[{"name": "a.B"}]\n');
    const flags = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('v8 flag: '));
    const validate = run(['validate', dir]);
    expect(validate.status).toBe(0);
    const tuned = [`v8 flag: ${INTERRUPT_BUDGET_FLAG}`, `v8 flag: ${BYTECODE_FLUSH_FLAG}`];
    expect(flags(validate.stderr)).toEqual(tuned);
    // the run that makes the code cache sets V8's default back after the command, to make it;
    // with a cache, the loader has V8 check its checksum, from before the bundle is compiled on
    const checksum = `v8 flag: ${CHECKSUM_FLAG}`;
    const making = run(['validate', dir], cache);
    expect(making.status).toBe(0);
    expect(flags(making.stderr)).toEqual([
      checksum,
      ...tuned,
      `v8 flag: ${INTERRUPT_BUDGET_DEFAULT_FLAG}`,
      `v8 flag: ${BYTECODE_FLUSH_DEFAULT_FLAG}`,
    ]);
    const using = run(['validate', dir], cache);
    expect(flags(using.stderr)).toEqual([checksum, ...tuned]);
    for (const args of [['--version'], ['--help'], ['validate', '--help']]) {
      const r = run(args, join(work, 'help-cache'));
      expect(r.status, args.join(' ')).toBe(0);
      expect(flags(r.stderr), args.join(' ')).toEqual(args[0] === '--version' ? [] : [checksum]);
    }
  });

  it('keeps a code cache that the next run uses, and compiles around one it cannot use', () => {
    const cache = join(work, 'code-cache');
    const dir = join(work, 'cached');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'reflect-config.json'), '[{"name": "a.B", "allDeclaredFields": true}]\n');
    const run = (args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', [CODE_CACHE_ENV]: cache },
      });
    const files = () => readdirSync(cache).filter((f) => f.endsWith('.bin'));
    const uncached = spawnSync(process.execPath, [BIN, 'validate', dir, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, [CODE_CACHE_ENV]: 'off' },
    });
    const first = run(['validate', dir, '--json']);
    expect(first.status, first.stderr).toBe(0);
    expect(files()).toHaveLength(1);
    const file = join(cache, files()[0]!);
    const made = statSync(file);
    // the next run reads it (a run that could not would write it again), and says the same
    const second = run(['validate', dir, '--json']);
    expect(second).toMatchObject({ status: 0, stdout: first.stdout, stderr: first.stderr });
    expect(second.stdout).toBe(uncached.stdout);
    expect(statSync(file)).toMatchObject({ mtimeMs: made.mtimeMs, ino: made.ino });
    // help and other commands use the same cache; the first run of each adds its code to it, once
    const size = made.size;
    for (const args of [['--help'], ['merge', dir, '-o', join(work, 'cached-merged')]]) {
      const before = statSync(file);
      expect(run(args).status, args.join(' ')).toBe(0);
      const added = statSync(file);
      expect(added.ino, args.join(' ')).not.toBe(before.ino);
      expect(added.size, args.join(' ')).toBeGreaterThanOrEqual(before.size);
      expect(run(args).status, args.join(' ')).toBe(0);
      expect(statSync(file), args.join(' ')).toMatchObject({ mtimeMs: added.mtimeMs, ino: added.ino });
    }
    expect(statSync(file).size).toBeGreaterThan(size);
    expect(files()).toHaveLength(1);
    expect(run(['validate', dir, '--json'])).toMatchObject({ status: 0, stdout: first.stdout });
    // a damaged cache is compiled around, and made again: V8 checks its data's checksum when
    // asked to (a byte of it changed, unchecked, can crash the process in V8's deserializer)
    const good = readFileSync(file);
    let dataAt = 0;
    for (let line = 0; line < 4; line++) dataAt = good.indexOf(0x0a, dataAt) + 1;
    for (const at of [dataAt + 40, (dataAt + good.length) >> 1, good.length - 1]) {
      const bytes = Buffer.from(good);
      bytes[at]! ^= 0x10;
      writeFileSync(file, bytes, { mode: 0o600 });
      const third = run(['validate', dir, '--json']);
      expect(third, `byte ${at} of ${good.length}`).toMatchObject({ status: 0, stdout: first.stdout });
      expect(readFileSync(file).equals(bytes), `byte ${at}`).toBe(false);
    }
    expect(files()).toHaveLength(1);
    // one V8 turns down (whole by its header, not V8's data) is made again once, before the
    // command tunes V8, and then used: never one made under other flags, again on every run
    const bundle = join(REPO, 'dist', 'bundle', 'cli.cjs');
    writeCache(file, bundleIdentity(statSync(bundle, { bigint: true })), Buffer.alloc(4096, 7));
    const planted = statSync(file);
    expect(run(['validate', dir, '--json'])).toMatchObject({ status: 0, stdout: first.stdout });
    const remade = statSync(file);
    expect(remade.ino).not.toBe(planted.ino);
    expect(run(['validate', dir, '--json'])).toMatchObject({ status: 0, stdout: first.stdout });
    expect(statSync(file)).toMatchObject({ mtimeMs: remade.mtimeMs, ino: remade.ino });
  });

  /**
   * Whether a run of the bin loaded Node's built-in module `name`, as a hook preloaded as
   * CommonJS tells (one given to --import would start the ES module loader itself).
   */
  const loads = (name: string, args: string[], cwd = work): boolean => {
    const hook = join(work, 'loaded-hook.cjs');
    writeFileSync(
      hook,
      "process.on('exit', () => process.stderr.write(`\\nloaded: ${JSON.stringify(process.moduleLoadList)}\\n`));\n",
    );
    const r = spawnSync(process.execPath, ['--require', hook, BIN, ...args], { cwd, encoding: 'utf8' });
    expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    const list = JSON.parse(/\nloaded: (.*)\n/.exec(r.stderr)![1]!) as string[];
    return list.includes(`NativeModule ${name}`);
  };

  it('starts no ES module loader: the bin and its bundles are CommonJS', () => {
    const dir = join(work, 'no-esm');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'reflect-config.json'), '[{"name": "a.B"}]\n');
    for (const args of [['--help'], ['validate', dir], ['--version']])
      expect(loads('internal/modules/esm/module_job', args), args.join(' ')).toBe(false);
  });

  it('does not load node:child_process for help or for a command that runs no process', () => {
    // commander requires it as it loads; the bundle gives commander a stand-in (scripts/bundle.mjs)
    const dir = join(work, 'no-processes');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'reflect-config.json'), '[{"name": "a.B"}]\n');
    for (const args of [
      ['--help'],
      ['validate', dir],
      ['merge', dir, '-o', join(work, 'merged')],
      ['diff', dir, dir],
      ['trace', '--help'],
    ])
      expect(loads('child_process', args), args.join(' ')).toBe(false);
    // the hook does tell: a diff that reads a revision runs git, and loads it
    const git = (...args: string[]): void => {
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args],
        { cwd: dir, stdio: 'ignore' },
      );
    };
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'a');
    expect(loads('child_process', ['diff', '--base', 'HEAD', 'reflect-config.json'], dir)).toBe(true);
  });

  it('loads node:fs/promises and node:crypto only for a command that uses them (one that writes files)', () => {
    // the bundle gives every import of node:fs/promises a stand-in that loads it when first used
    const dir = join(work, 'no-promises');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'reflect-config.json'), '[{"name": "a.B"}]\n');
    writeFileSync(join(dir, 'ni-config.jsonc'), '{}\n'); // a project file, read as a command starts
    for (const args of [['--help'], ['validate', dir], ['diff', dir, dir], ['validate', '.']])
      for (const name of ['fs/promises', 'crypto'])
        expect(loads(name, args, dir), `${name}: ${args.join(' ')}`).toBe(false);
    // the hook does tell: merge writes its output through node:fs/promises, named by node:crypto
    for (const name of ['fs/promises', 'crypto'])
      expect(loads(name, ['merge', dir, '-o', join(work, 'merged-promises')]), name).toBe(true);
  });

  it('has a README command reference equal to its --help', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain(commandReference());
  });

  it('ends quietly when the reader of its output goes away (| head -1)', () => {
    for (const command of ['validate', 'prune', 'write', 'trace', 'diff', 'explain']) {
      // the shell's pipe: head reads one line and closes it while the help is still being written
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${command} --help | head -1`], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(r.stdout, command).toMatch(/^Usage: ni-config /);
      expect(r.stderr, command).toBe('');
    }
    // a long output, cut: no EPIPE stack trace either
    const big = join(work, 'big');
    mkdirSync(big, { recursive: true });
    writeFileSync(
      join(big, 'reflect-config.json'),
      JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ name: `a.C${i}`, allDeclaredFeilds: true }))),
    );
    const cut = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" validate "${big}" | head -1`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(cut.stdout.split('\n')).toHaveLength(2);
    expect(cut.stderr).not.toMatch(/EPIPE|at .*\(|node:events/);
    expect(cut.stderr).toMatch(/^checked 1 file: 0 errors, 2000 warnings/);
  });

  it('prints usage and exits 2 without a command', () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Usage: ni-config/);
  });

  it('runs the quick start example and validates its output', () => {
    const out = join(work, 'example');
    const m = cli(['merge', join(REPO, 'examples', 'hello-lambda', 'agent-output'), '-o', out, '--format', 'unified']);
    expect(m.code).toBe(0);
    expect(m.stderr).toMatch(/wrote unified metadata/);
    expect(cli(['validate', '--strict', out])).toMatchObject({ code: 0 });
  });

  it('reports an unreadable file by name and exits 2, without a stack trace', () => {
    const dir = join(work, 'locked');
    mkdirSync(dir);
    chmodSync(work, 0o755);
    chmodSync(dir, 0o755);
    const file = join(dir, 'reflect-config.json');
    writeFileSync(file, '[]');
    chmodSync(file, 0o000);
    const r = cli(['validate', dir], { asUser: true });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/locked\/reflect-config\.json: error \[unreadable\] cannot read it: permission denied/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('writes no colour codes when not on a terminal', () => {
    const dir = join(work, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'reflect-config.json'), '[{"name": "a/B"}]');
    const r = cli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout).toMatch(/bad\/reflect-config\.json:1:\d+: error \[bad-class-name\]/);
  });

  it('warns before reading more than its heap can hold, and says how to give it more', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ni-config-heap-'));
    try {
      const entries = Array.from({ length: 200_000 }, (_, i) => ({
        type: `com.example.C${i}`,
        methods: [{ name: 'get', parameterTypes: ['java.lang.String'] }],
      }));
      writeFileSync(join(dir, 'reachability-metadata.json'), JSON.stringify({ reflection: entries }));
      const small = spawnSync(process.execPath, ['--max-old-space-size=128', BIN, 'validate', dir], {
        encoding: 'utf8',
      });
      expect(small.stderr).toMatch(
        /warning: the inputs hold \d+ MB of JSON; that needs about \d+ MB of memory and this Node\.js allows \d+ MB\. If it runs out, give it more: NODE_OPTIONS=--max-old-space-size=\d+/,
      );
      // a diff holds both sides
      const diff = spawnSync(process.execPath, ['--max-old-space-size=128', BIN, 'diff', dir, dir, '--stat'], {
        encoding: 'utf8',
      });
      expect(diff.stderr).toMatch(/warning: the inputs hold \d+ MB of JSON/);
      const normal = spawnSync(process.execPath, [BIN, 'validate', dir], { encoding: 'utf8' });
      expect(normal.status).toBe(0);
      expect(normal.stderr).not.toContain('warning: the inputs hold');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
