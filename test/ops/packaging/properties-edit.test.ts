/** native-image.properties read with positions, and Args edited in place (src/ops/properties.ts). */
import { describe, expect, it } from 'vitest';
import { editArgs, parsePropertiesText } from '../../../src/ops/properties.js';

const SEED = [
  '# keep me',
  'ImageName = app',
  'Args = -H:ReflectionConfigurationResources=${.}/reflection-config.json \\',
  '       -H:-AllowVMInspection \\',
  '       --initialize-at-run-time=a.B',
  'JavaArgs = -Xmx2g',
  '',
].join('\n');

const startOf = (text: string, token: string): number => text.indexOf(token);

describe('parsePropertiesText', () => {
  it('reads keys, continued values and the offset of every token', () => {
    const p = parsePropertiesText(SEED);
    expect(p.entries.map((e) => e.key)).toEqual(['ImageName', 'Args', 'JavaArgs']);
    const args = p.entries[1]!;
    expect(args.firstLine).toBe(2);
    expect(args.lastLine).toBe(4);
    expect(args.tokens.map((t) => t.text)).toEqual([
      '-H:ReflectionConfigurationResources=${.}/reflection-config.json',
      '-H:-AllowVMInspection',
      '--initialize-at-run-time=a.B',
    ]);
    for (const t of args.tokens) expect(SEED.slice(t.start, t.end)).toBe(t.text);
  });

  it('follows java.util.Properties: separators, escapes, comments, CRLF', () => {
    const text = 'Args:--a=x\\ y \\\r\n  --b\r\n! a comment \\\r\nKey\\=Name value\r\n';
    const p = parsePropertiesText(text);
    expect(p.eol).toBe('\r\n');
    expect(p.entries.map((e) => [e.key, e.tokens.map((t) => t.text)])).toEqual([
      ['Args', ['--a=x', 'y', '--b']],
      ['Key=Name', ['value']],
    ]);
    // an escaped blank stays in the value but native-image splits Args at it
    expect(parsePropertiesText('Args = a\\u0020b').entries[0]!.tokens.map((t) => t.text)).toEqual(['a', 'b']);
  });
});

describe('editArgs', () => {
  it('drops a token with its line and keeps every other line as it was', () => {
    const out = editArgs(SEED, new Map([[startOf(SEED, '-H:-AllowVMInspection'), []]]));
    expect(out).toBe(
      [
        '# keep me',
        'ImageName = app',
        'Args = -H:ReflectionConfigurationResources=${.}/reflection-config.json \\',
        '       --initialize-at-run-time=a.B',
        'JavaArgs = -Xmx2g',
        '',
      ].join('\n'),
    );
  });

  it("moves the next line up when the key's own line loses its tokens, and fixes the last continuation", () => {
    const out = editArgs(
      SEED,
      new Map([
        [startOf(SEED, '-H:Reflection'), []],
        [startOf(SEED, '--initialize-at-run-time'), []],
      ]),
    );
    expect(out).toContain('Args = -H:-AllowVMInspection\nJavaArgs');
  });

  it('replaces in place, and removes the key when no token is left', () => {
    const replaced = editArgs(SEED, new Map([[startOf(SEED, '-H:-AllowVMInspection'), ['--enable-monitoring=all']]]));
    expect(replaced).toContain('\n       --enable-monitoring=all \\\n');
    const text = 'Args = --a --b\nOther = x\n';
    expect(editArgs(text, new Map([[7, []]]))).toBe('Args = --b\nOther = x\n');
    expect(
      editArgs(
        text,
        new Map([
          [7, []],
          [11, []],
        ]),
      ),
    ).toBe('Other = x\n');
  });

  it('writes a token continued over a line break one per line, and keeps a text without a final newline so', () => {
    const text = 'Args = --a=x,\\\n  y --b';
    expect(editArgs(text, new Map([[startOf(text, '--b'), []]]))).toBe('Args = --a=x,y');
  });

  it('changes nothing without edits', () => {
    expect(editArgs(SEED, new Map())).toBe(SEED);
  });
});
