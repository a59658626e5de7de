/**
 * argv → the options each use case gets: the one place the mapping is tested, with the use cases
 * mocked (nothing runs). Each mocked use case records its options and stops the command.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from './harness.js';

const { calls, stop } = vi.hoisted(() => {
  const calls: { name: string; options: unknown }[] = [];
  const stop = (name: string) => async (options: unknown) => {
    calls.push({ name, options });
    throw new Error('stopped by the test');
  };
  return { calls, stop };
});

// each use case mocked, the rest of its module (tables the flags use) kept
vi.mock('../../src/commands/validate.js', async (original) => ({
  ...(await original<object>()),
  runValidate: stop('validate'),
}));
vi.mock('../../src/commands/combine.js', async (original) => ({
  ...(await original<object>()),
  runCombine: stop('combine'),
}));
vi.mock('../../src/commands/prune.js', async (original) => ({
  ...(await original<object>()),
  runPrune: stop('prune'),
}));
vi.mock('../../src/commands/write.js', async (original) => ({
  ...(await original<object>()),
  runWrite: stop('write'),
}));
vi.mock('../../src/commands/diff.js', async (original) => ({ ...(await original<object>()), runDiff: stop('diff') }));
vi.mock('../../src/commands/trace.js', async (original) => ({
  ...(await original<object>()),
  runTrace: stop('trace'),
}));

beforeEach(() => void calls.splice(0));

async function optionsOf(argv: string[]): Promise<{ name: string; options: unknown }> {
  calls.splice(0);
  const r = await run(argv, '/nonexistent');
  expect(r.stderr).toMatch(/stopped by the test/);
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

describe('argv → options', () => {
  it('validate', async () => {
    expect(await optionsOf(['validate', 'a', 'b', '--strict', '--format', 'github', '--config', 'p.jsonc'])).toEqual({
      name: 'validate',
      options: { paths: ['a', 'b'], config: 'p.jsonc', strict: true, format: 'github' },
    });
    expect((await optionsOf(['validate'])).options).toEqual({ paths: [], config: undefined, format: 'text' });
  });

  it('convert and merge', async () => {
    expect(await optionsOf(['convert', 'in', '--to', 'legacy', '-o', 'out', '--dry-run'])).toEqual({
      name: 'combine',
      options: { paths: ['in'], config: undefined, format: 'legacy', out: 'out', dryRun: true },
    });
    expect((await optionsOf(['merge', 'a', 'b', '-o', 'm.json'])).options).toEqual({
      paths: ['a', 'b'],
      config: undefined,
      format: undefined,
      out: 'm.json',
      dryRun: false,
    });
  });

  it('prune', async () => {
    const argv = ['prune', 'in', '--preset', 'clojure', 'default', '--rules', 'r.jsonc', '--trace', 't.json'];
    argv.push('--keep', 'k1', 'k2', '--library-config', 'x.jar', '--aggressive', '--explain', '-o', 'out');
    argv.push('--classpath', 'lib/*', 'app.jar', '--drop-stale');
    expect(await optionsOf(argv)).toEqual({
      name: 'prune',
      options: {
        paths: ['in'],
        config: undefined,
        out: 'out',
        format: undefined,
        dryRun: false,
        explain: true,
        presets: ['clojure', 'default'],
        rules: ['r.jsonc'],
        evidence: 't.json',
        keep: ['k1', 'k2'],
        libraryConfig: ['x.jar'],
        classpath: ['lib/*', 'app.jar'],
        dropStale: true,
        aggressive: true,
      },
    });
    // unset prune flags stay unset: the project file decides them
    expect((await optionsOf(['prune', 'in', '--dry-run'])).options).toEqual({
      paths: ['in'],
      config: undefined,
      out: undefined,
      format: undefined,
      dryRun: true,
      explain: false,
    });
  });

  it('write', async () => {
    const argv = ['write', 'in', '--group', 'g', '--artifact', 'a', '--root', 'r', '--format', 'unified', '--check'];
    expect(await optionsOf([...argv, '--force'])).toEqual({
      name: 'write',
      options: {
        paths: ['in'],
        config: undefined,
        group: 'g',
        artifact: 'a',
        root: 'r',
        format: 'unified',
        check: true,
        force: true,
        dryRun: false,
      },
    });
  });

  it('diff', async () => {
    expect(
      await optionsOf(['diff', '--base', 'main', '--head', 'HEAD', '--format', 'github', 'p', '--exit-code']),
    ).toEqual({
      name: 'diff',
      options: {
        paths: ['p'],
        config: undefined,
        base: 'main',
        head: 'HEAD',
        locate: true,
        format: 'github',
        title: undefined,
        exitCode: true,
        stat: false,
      },
    });
    // --json is the json format
    expect((await optionsOf(['diff', 'a', 'b', '--json', '--stat'])).options).toMatchObject({
      format: 'json',
      locate: false,
      stat: true,
    });
  });

  it('trace', async () => {
    const argv = [
      'trace',
      '--container',
      'img',
      '--engine',
      'podman',
      '--runtime-api',
      '--rie',
      'rie',
      '--label',
      'a=1',
    ];
    argv.push('--events', 'e/*.json', '--event', '{}', '--timeout', '30', '-e', 'A=B', '--allow-errors');
    argv.push('--agent-path', 'lib.so', '--period', '5', '-o', 'out', '--merge-into', 'old', '--preset', 'clojure');
    argv.push('--rules', 'r.jsonc', '--keep', 'k', '--library-config', 'l', '--aggressive', '--format', 'legacy');
    expect(await optionsOf(argv)).toEqual({
      name: 'trace',
      options: {
        config: undefined,
        cmd: undefined,
        container: 'img',
        runtimeApi: true,
        rie: 'rie',
        engine: 'podman',
        labels: ['a=1'],
        events: ['e/*.json'],
        event: ['{}'],
        timeout: 30,
        env: ['A=B'],
        allowErrors: true,
        agentPath: 'lib.so',
        period: 5,
        out: 'out',
        write: false,
        mergeInto: 'old',
        format: 'legacy',
        presets: ['clojure'],
        rules: ['r.jsonc'],
        keep: ['k'],
        libraryConfig: ['l'],
        aggressive: true,
      },
    });
  });

  it('invoke: the defaults, and no agent', async () => {
    expect(await optionsOf(['invoke', '--cmd', 'java -jar f.jar', '--events', 'e/*.json'])).toEqual({
      name: 'trace',
      options: {
        config: undefined,
        invokeOnly: true,
        cmd: 'java -jar f.jar',
        container: undefined,
        runtimeApi: false,
        rie: undefined,
        engine: undefined,
        labels: undefined,
        events: ['e/*.json'],
        event: undefined,
        timeout: 900,
        env: undefined,
        allowErrors: false,
      },
    });
  });

  it('refuses a choice that is not one, before any use case runs', async () => {
    const r = await run(['merge', 'a', '-o', 'o', '--format', 'xml'], '/nonexistent');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are unified, legacy/);
    expect(calls).toEqual([]);
  });
});
