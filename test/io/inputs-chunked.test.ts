/** Large files read in chunks (io/inputs.ts): the text is never whole in memory, and reads as the whole text does. */
import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectSources } from '../../src/io/inputs.js';
import { emitUnified, toJsonText } from '../../src/model/emit/index.js';
import { finding } from '../../src/model/findings.js';
import { loadSources, sourceTexts, type ChunkedText, type SourceText } from '../../src/ops/load.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ni-config-test-chunked-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A unified file with characters of one to four bytes, so that chunks of a few bytes cut inside them. */
function unifiedFile(): string {
  const reflection = Array.from({ length: 60 }, (_, i) => ({
    reason: `ü € 𝄞 ${i}`,
    type: `com.example.K${i}`,
    fields: [{ name: `f${i}` }],
    methods: [{ name: `m${i}`, parameterTypes: ['java.lang.String'] }],
  }));
  const file = join(dir, 'reachability-metadata.json');
  writeFileSync(file, JSON.stringify({ reflection, resources: [{ glob: 'a/ü.txt' }] }, null, 2));
  return file;
}

const chunkedText = (s: SourceText): ChunkedText => {
  if (typeof s.text === 'string') throw new Error('expected a text read in chunks');
  return s.text;
};

describe('a large file read in chunks', () => {
  it('gives the file text, a chunk at a time and whole, with no character cut', async () => {
    const file = unifiedFile();
    const text = readFileSync(file, 'utf8');
    for (const bytes of [1, 2, 3, 5, 64, 1 << 20]) {
      const { sources, findings } = await collectSources([file], { chunked: { from: 0, bytes } });
      expect(findings).toEqual([]);
      const t = chunkedText(sources[0]!);
      const chunks = [...t.chunks()];
      expect(chunks.join('')).toBe(text);
      // a chunk never ends inside a character: no lone surrogate, no replacement character
      for (const c of chunks) expect(c).not.toMatch(/\uFFFD|[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
      expect(t.whole(file)).toBe(text);
      expect(t.bytes).toBe(Buffer.byteLength(text));
    }
  });

  it('reads into the same set as its whole text, without reading it whole', async () => {
    const file = unifiedFile();
    const { sources } = await collectSources([file], { chunked: { from: 0, bytes: 3 } });
    const readWhole = vi.spyOn(chunkedText(sources[0]!), 'whole');
    const whole = await collectSources([file]);
    expect(typeof whole.sources[0]!.text).toBe('string');
    const emitted = (s: readonly SourceText[]): string =>
      toJsonText(emitUnified(loadSources(s).set).files.get('reachability-metadata.json'));
    expect(emitted(sources)).toBe(emitted(whole.sources));
    expect(emitted(sources)).toContain('ü € 𝄞 59');
    expect(readWhole).not.toHaveBeenCalled();
  });

  it('is read whole below the size, and when its kind is not read in pieces', async () => {
    const file = unifiedFile();
    const size = Buffer.byteLength(readFileSync(file));
    const below = await collectSources([file], { chunked: { from: size + 1, bytes: 3 } });
    expect(typeof below.sources[0]!.text).toBe('string');
    const resources = join(dir, 'resource-config.json');
    writeFileSync(resources, JSON.stringify({ resources: { includes: [{ pattern: '.*' }] } }));
    const other = await collectSources([resources], { chunked: { from: 0, bytes: 3 } });
    expect(typeof other.sources[0]!.text).toBe('string');
  });

  it('that is not UTF-8 is refused as it is read, with the offset a whole read gives', async () => {
    const file = join(dir, 'reflect-config.json');
    const bytes = Buffer.from(JSON.stringify([{ name: 'a.Bé' }, { name: 'c.D' }]));
    bytes[bytes.indexOf('c.D')] = 0xff;
    writeFileSync(file, bytes);
    const inChunks = await collectSources([file], { chunked: { from: 0, bytes: 4 } });
    const whole = await collectSources([file]);
    expect(inChunks.sources).toEqual([]);
    expect(inChunks.findings).toEqual(whole.findings);
    expect(whole.findings[0]!.message).toBe(
      `expected UTF-8 text, found an invalid byte sequence at byte ${bytes.indexOf(0xff)}`,
    );
  });

  it('with more continuation bytes than a character has is refused at the byte a whole read names', async () => {
    const file = join(dir, 'reflect-config.json');
    // é, then three stray continuation bytes: each chunk size cuts the run somewhere else
    const bytes = Buffer.concat([
      Buffer.from('[{"name": "a.B'),
      Buffer.from([0xc3, 0xa9, 0x80, 0x80, 0x80]),
      Buffer.from('"}]'),
    ]);
    writeFileSync(file, bytes);
    const whole = await collectSources([file]);
    expect(whole.findings[0]!.message).toMatch(/at byte 16$/);
    for (let size = 1; size <= bytes.length; size++) {
      const inChunks = await collectSources([file], { chunked: { from: 0, bytes: size } });
      expect(inChunks.findings, `chunks of ${size}`).toEqual(whole.findings);
    }
  });

  it('is read whole to place a finding only when the texts are looked at, and once', async () => {
    const file = unifiedFile();
    const other = join(dir, 'resource-config.json');
    writeFileSync(other, '{}');
    const { sources } = await collectSources([file, other], { chunked: { from: 0, bytes: 64 } });
    const readWhole = vi.spyOn(chunkedText(sources[0]!), 'whole');
    const texts = sourceTexts(sources, [finding('duplicate-entry', file, '/reflection/1', 'a repeat')]);
    expect(readWhole).not.toHaveBeenCalled();
    expect(texts.get(file)).toBe(readFileSync(file, 'utf8'));
    expect([...texts.keys()]).toEqual([file]);
    expect(texts.get(file)).toBe(readFileSync(file, 'utf8'));
    expect(readWhole).toHaveBeenCalledTimes(1);
    // texts read whole already are kept as they are
    const plain = sourceTexts(sources.slice(1), [finding('duplicate-entry', other, '', 'x')]);
    expect(plain).toBeInstanceOf(Map);
    expect(plain).toEqual(new Map([[other, '{}']]));
  });

  it('that was replaced since it was collected is not read as if it were the same', async () => {
    const file = unifiedFile();
    const original = readFileSync(file, 'utf8');
    // a command's own output written over its input: a new file renamed into place
    for (const replace of [
      () => {
        writeFileSync(`${file}.new`, '{"reflection": []}');
        renameSync(`${file}.new`, file);
      },
      () => writeFileSync(file, `${original}\n`),
    ]) {
      writeFileSync(file, original);
      const { sources } = await collectSources([file], { chunked: { from: 0, bytes: 64 } });
      replace();
      const t = chunkedText(sources[0]!);
      expect(() => [...t.chunks()]).toThrow(/changed on disk since it was read/);
      expect(t.whole(file)).toEqual(
        finding('unreadable', file, '', 'cannot read it again: it changed on disk since it was read'),
      );
      // findings in it are then placed at its start, not in the new content
      expect(sourceTexts(sources, [finding('duplicate-entry', file, '/reflection/1', 'a repeat')]).get(file)).toBe(
        undefined,
      );
    }
  });

  it('that is gone by the time it is parsed is reported, not thrown, and adds nothing', async () => {
    const file = unifiedFile();
    const { sources } = await collectSources([file], { chunked: { from: 0, bytes: 64 } });
    unlinkSync(file);
    expect(() => [...chunkedText(sources[0]!).chunks()]).toThrow(/ENOENT/);
    const loaded = loadSources(sources);
    expect(loaded.findings).toEqual([
      expect.objectContaining({ code: 'unreadable', file, message: 'cannot read it: no such file or directory' }),
    ]);
    expect(loaded.set.reflection).toEqual([]);
  });
});
