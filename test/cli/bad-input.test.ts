/**
 * Bad input never gives a stack trace or a partial output file: each gets a clear error that
 * names the file, the place, what was expected and what was found.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { run, tempDir } from './harness.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

async function put(name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

/** Runs convert into `out/` and checks that nothing was written. */
async function convertFails(input: string): Promise<string> {
  const r = await run(['convert', input, '--to', 'unified', '-o', 'out'], dir);
  expect(r.code).toBe(2);
  expect(existsSync(join(dir, 'out'))).toBe(false);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return r.stderr;
}

describe('bad input', () => {
  it('truncated JSON: position, expected and found', async () => {
    await put('in/reflect-config.json', '[\n  {"name": "a.B"},\n  {"name": "c.D", "methods": [');
    const r = await run(['validate', 'in'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('in/reflect-config.json:3:');
    expect(r.stdout).toMatch(/error \[json-syntax\] expected .*, found the end of the file/);
    expect(await convertFails('in')).toMatch(/in\/reflect-config\.json:3:\d+: error \[json-syntax\]/);
  });

  it('a UTF-8 byte order mark', async () => {
    await put('in/reflect-config.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[]')]));
    const r = await run(['validate', 'in'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/reflect-config\.json: error \[json-bom\] found a UTF-8 byte order mark/);
    await convertFails('in');
  });

  it('comments in a .json file', async () => {
    await put('in/reflect-config.json', '[\n  // the handler\n  {"name": "a.B"}\n]');
    const r = await run(['validate', 'in'], dir);
    expect(r.stdout).toMatch(/reflect-config\.json:2:3: error \[json-comment\] found a comment; expected plain JSON/);
  });

  it('a wrong type deep inside an entry', async () => {
    await put(
      'in/reflect-config.json',
      '[\n  {"name": "a.B",\n   "methods": [{"name": "m", "parameterTypes": ["int", 7]}]}\n]',
    );
    const r = await run(['validate', 'in'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /reflect-config\.json:3:\d+: error \[wrong-type\] expected parameter types item \(a string\), found a number \(at \/0\/methods\/0\/parameterTypes\/1\)/,
    );
    await convertFails('in');
  });

  it('__proto__ and constructor keys are reported and pollute nothing', async () => {
    await put(
      'in/reflect-config.json',
      '[{"name": "a.B", "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}]',
    );
    const r = await run(['validate', '--json', 'in'], dir);
    const out = JSON.parse(r.stdout) as { findings: { code: string; jsonPointer: string }[] };
    expect(out.findings.map((f) => `${f.code}@${f.jsonPointer}`)).toEqual([
      'ignored-key@/0/__proto__',
      'ignored-key@/0/constructor',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const m = await run(['merge', 'in', '-o', 'out', '--format', 'legacy'], dir);
    expect(m.code).toBe(0);
    expect(
      JSON.parse(
        await import('node:fs').then((fs) => fs.readFileSync(join(dir, 'out', 'reflect-config.json'), 'utf8')),
      ),
    ).toEqual([{ name: 'a.B' }]);
  });

  it('a 100 MB file with a syntax error near its end', async () => {
    const path = join(dir, 'big', 'reflect-config.json');
    await mkdir(join(dir, 'big'));
    const handle = await open(path, 'w');
    const entry =
      '  {"name": "com.example.generated.Type0000000", "allDeclaredFields": true, "methods": [{"name": "<init>", "parameterTypes": []}]},\n';
    const count = Math.ceil((100 * 1024 * 1024) / entry.length);
    const chunk = entry.repeat(10_000);
    await handle.write('[\n');
    for (let i = 0; i < count; i += 10_000) await handle.write(chunk);
    await handle.write('  {"name": "x.Y",, }\n]\n');
    await handle.close();
    const r = await run(['validate', 'big'], dir);
    expect(r.code).toBe(1);
    const line = 2 + Math.ceil(count / 10_000) * 10_000;
    expect(r.stdout).toContain(
      `big/reflect-config.json:${line}:18: error [json-syntax] expected a property name in double quotes, found ","`,
    );
  }, 120_000);

  it('a file over the configured size limit', async () => {
    await put('in/reflect-config.json', '[' + ' '.repeat(2000) + ']');
    await put('ni-config.jsonc', '{ "maxFileSize": 1000 }');
    const r = await run(['validate', 'in'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /in\/reflect-config\.json: error \[too-large\] the file has 2002 bytes; expected at most 1000 \(set maxFileSize in ni-config\.jsonc to raise the limit\)/,
    );
    // a native-image.properties: in the tree (read by the metadata walk and the packaging lints)
    // and given by name, the same words, once
    await put('in/META-INF/native-image/g/a/native-image.properties', `Args = ${'x'.repeat(1500)}\n`);
    for (const path of ['in', 'in/META-INF/native-image/g/a/native-image.properties']) {
      const props = await run(['validate', path], dir);
      const said = props.stdout.match(/^.*native-image\.properties: error \[too-large\] .*$/gm) ?? [];
      expect(said, path).toEqual([
        'in/META-INF/native-image/g/a/native-image.properties: error [too-large] the file has 1508 bytes; expected at most 1000 (set maxFileSize in ni-config.jsonc to raise the limit)',
      ]);
    }
  });

  it('a directory with no known files', async () => {
    await put('empty/notes.txt', 'hello');
    const r = await run(['validate', 'empty'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /empty: error \[no-metadata\] found no metadata files in this directory; expected one of reflect-config\.json/,
    );
    expect(await convertFails('empty')).toMatch(/no-metadata/);
  });

  it('an event glob that matches nothing: a glob matched no file, not "no metadata"', async () => {
    const fake = `${process.execPath} ${join(REPO, 'test', 'cli', 'fixtures', 'fake-runtime.mjs')}`;
    const r = await run(['invoke', '--cmd', fake, '--events', 'nosuch/*.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nosuch\/\*\.json: error \[no-match\] no event file matches nosuch\/\*\.json/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const j = await run(['invoke', '--cmd', fake, '--events', 'nosuch/*.json', '--json'], dir);
    expect(j.code).toBe(2);
    const out = JSON.parse(j.stdout) as { findings: { code: string; file: string }[] };
    expect(out.findings).toEqual([expect.objectContaining({ code: 'no-match', file: 'nosuch/*.json' })]);
  });

  it('a path that does not exist', async () => {
    const r = await run(['validate', 'missing/reflect-config.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /missing\/reflect-config\.json: error \[unreadable\] cannot read it: no such file or directory/,
    );
  });

  it('bytes that are not UTF-8', async () => {
    await put('in/reflect-config.json', Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]));
    const r = await run(['validate', 'in'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/error \[json-syntax\] expected UTF-8 text, found an invalid byte sequence at byte 2/);
  });

  it('nesting deep enough to exhaust a recursive reader', async () => {
    await put(
      'in/reachability-metadata.json',
      `{"foreign": {"downcalls": ${'['.repeat(200_000)}${']'.repeat(200_000)}}}`,
    );
    const r = await run(['validate', 'in'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error \[schema\] expected the foreign-function metadata to nest at most 64 levels/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('a JSON value that is no metadata at all', async () => {
    await put('x.json', '42');
    const r = await run(['validate', 'x.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/x\.json: error \[unknown-file\] cannot tell which metadata this is/);
  });

  it('a broken project file', async () => {
    await put('ni-config.jsonc', '{\n  // defaults\n  "format": "yaml"\n}');
    await put('in/reflect-config.json', '[]');
    const r = await run(['validate', 'in'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ni-config\.jsonc:3:3: error \[schema\] expected one of "unified", "legacy"/);
  });

  it('an output directory that cannot be created leaves nothing behind', async () => {
    await put('in/reflect-config.json', '[{"name": "a.B"}]');
    await put('blocker', 'a file where a directory should go');
    const r = await run(['convert', 'in', '--to', 'legacy', '-o', 'blocker/out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/blocker\/out: cannot create the output directory/);
    expect((await readdir(dir)).sort()).toEqual(['blocker', 'in']);
  });

  it('control characters and bidi overrides in names reach no terminal, comment or annotation raw', async () => {
    await put('old/reflect-config.json', '[]');
    await put(
      'new/reflect-config.json',
      JSON.stringify([{ name: 'a.\u001b[2Jb c' }, { name: 'x.Evil\u202eTxt.exe' }, { name: 'p.Q\nR' }]),
    );
    const outputs = [
      await run(['validate', 'new'], dir),
      await run(['validate', 'new', '--format', 'github'], dir),
      await run(['diff', 'old', 'new'], dir),
      await run(['diff', 'old', 'new', '--format', 'markdown'], dir),
      await run(['diff', 'old', 'new', '--format', 'github'], dir),
    ];
    for (const r of outputs) expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u202e\r]|Q\nR/);
    expect(outputs[0]!.stdout).toContain("'a.\\u001b[2Jb c': the name contains white space");
    expect(outputs[2]!.stdout).toContain('+ x.Evil\\u202eTxt.exe');
    expect(
      outputs[4]!.stdout
        .split('\n')
        .filter((l) => l !== '')
        .every((l) => l.startsWith('::')),
    ).toBe(true);
  });
});
