import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JarError, jarManifest, openJar, parseManifest, readJarMetadata, withJar } from '../../src/io/jar.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ni-config-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Method = 'stored' | 'deflated' | 'bzip2';
interface PyEntry {
  readonly name: string;
  readonly text: string;
  readonly method?: Method;
}

/**
 * Writes a zip with Python's zipfile (which writes zip64 records when there are more than 65,535
 * entries). `filler` entries `filler/<n>/C<i>.class` come first, then `entries`. Returns the local
 * header offset of each of `entries`.
 */
function pyZip(path: string, entries: readonly PyEntry[], filler = 0): Record<string, number> {
  const script = `
import json, sys, zipfile
spec = json.load(sys.stdin)
methods = {'stored': zipfile.ZIP_STORED, 'deflated': zipfile.ZIP_DEFLATED, 'bzip2': zipfile.ZIP_BZIP2}
offsets = {}
with zipfile.ZipFile(spec['path'], 'w') as z:
    for i in range(spec['filler']):
        z.writestr('filler/%d/C%d.class' % (i // 1000, i), 'C%d' % i, zipfile.ZIP_STORED)
    for e in spec['entries']:
        z.writestr(e['name'], e['text'].encode('utf-8'), methods[e.get('method', 'deflated')])
    for info in z.infolist()[spec['filler']:]:
        offsets[info.filename] = info.header_offset
print(json.dumps(offsets))
`;
  const out = execFileSync('python3', ['-c', script], { input: JSON.stringify({ path, entries, filler }) });
  return JSON.parse(out.toString()) as Record<string, number>;
}

/** Writes `files` under a fresh directory and packs it with the JDK's jar tool. */
async function jdkJar(name: string, files: Record<string, string>, flags = 'cf', manifest?: string): Promise<string> {
  const root = join(dir, `${name}.d`);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  const path = join(dir, name);
  const args = [flags + (manifest === undefined ? '' : 'm'), path];
  if (manifest !== undefined) {
    await writeFile(join(dir, `${name}.mf`), manifest);
    args.push(join(dir, `${name}.mf`));
  }
  execFileSync('jar', [...args, '-C', root, '.']);
  return path;
}

/** Waits until this process holds no descriptor of `path` (Linux), failing after a second. */
async function released(path: string): Promise<void> {
  const held = async (): Promise<number> => {
    let n = 0;
    for (const fd of await readdir('/proc/self/fd')) {
      try {
        if ((await readlink(`/proc/self/fd/${fd}`)) === path) n++;
      } catch {
        // closed while listed
      }
    }
    return n;
  };
  for (let i = 0; i < 100 && (await held()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await held()).toBe(0);
}

async function jarError(p: Promise<unknown>): Promise<JarError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(JarError);
  return e as JarError;
}

describe('openJar on a zip64 jar', () => {
  it('lists every one of more than 65,535 entries and reads the late ones', async () => {
    const path = join(dir, 'uber.jar');
    const filler = 70_000;
    pyZip(
      path,
      [
        { name: 'META-INF/native-image/g/a/reflect-config.json', text: '[{"name":"a.A"}]' },
        {
          name: 'META-INF/native-image/g/a/native-image.properties',
          text: 'Args = -H:ResourceConfigurationResources=${.}/res.json\n',
        },
        { name: 'META-INF/native-image/g/a/res.json', text: '{"resources":{}}' },
        { name: 'zz/last.txt', text: 'the last entry', method: 'stored' },
      ],
      filler,
    );
    // The jar really is zip64: the 16-bit count is saturated and the zip64 end record is there.
    const bytes = await readFile(path);
    const tail = bytes.subarray(bytes.length - 22);
    expect(tail.readUInt32LE(0)).toBe(0x06054b50);
    expect(tail.readUInt16LE(10)).toBe(0xffff);
    expect(bytes.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]), bytes.length - 200)).toBeGreaterThan(0);

    await withJar(path, async (jar) => {
      const names = jar.names();
      expect(names).toHaveLength(filler + 4);
      expect(names[0]).toBe('filler/0/C0.class');
      expect(names[filler - 1]).toBe(`filler/69/C${filler - 1}.class`);
      expect(names.at(-1)).toBe('zz/last.txt');
      expect(jar.has('filler/42/C42123.class')).toBe(true);
      expect(jar.has('filler/42/C99999.class')).toBe(false);
      expect(await jar.readText('zz/last.txt')).toBe('the last entry');
      expect(await jar.readText(`filler/69/C${filler - 1}.class`)).toBe(`C${filler - 1}`);
      expect(await jar.manifest()).toBeUndefined();
    });
    await released(path);
    expect(await readJarMetadata(path)).toEqual([
      { name: 'META-INF/native-image/g/a/reflect-config.json', kind: 'reflect', text: '[{"name":"a.A"}]' },
      { name: 'META-INF/native-image/g/a/res.json', kind: 'resource', text: '{"resources":{}}' },
    ]);
  });
});

describe('openJar', () => {
  it('reads stored and deflated entries, small and large', async () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i} ✓\n`).join('');
    const path = join(dir, 'mixed.jar');
    pyZip(path, [
      { name: 'a/stored.txt', text: 'stored ✓', method: 'stored' },
      { name: 'a/deflated.txt', text: 'deflated ✓', method: 'deflated' },
      { name: 'a/big-stored.txt', text: big, method: 'stored' },
      { name: 'a/big-deflated.txt', text: big, method: 'deflated' },
      { name: 'a/empty.txt', text: '', method: 'deflated' },
    ]);
    const jar = await openJar(path);
    try {
      expect(jar.names()).toEqual([
        'a/stored.txt',
        'a/deflated.txt',
        'a/big-stored.txt',
        'a/big-deflated.txt',
        'a/empty.txt',
      ]);
      expect(await jar.readText('a/stored.txt')).toBe('stored ✓');
      expect(await jar.readText('a/deflated.txt')).toBe('deflated ✓');
      const [s, d] = await Promise.all([jar.readText('a/big-stored.txt'), jar.readText('a/big-deflated.txt')]);
      expect(s).toBe(big);
      expect(d).toBe(big);
      expect(await jar.readText('a/empty.txt')).toBe('');
      expect((await jarError(jar.readText('a/none.txt'))).message).toBe(`${path}: has no entry a/none.txt`);
    } finally {
      jar.close();
    }
  });

  it('reads what the JDK jar tool writes, compressed or not, directories listed', async () => {
    for (const flags of ['cf', 'cf0']) {
      const path = await jdkJar(`jdk-${flags}.jar`, { 'x/y.txt': 'why ✓\n' }, flags);
      await withJar(path, async (jar) => {
        expect(jar.names()).toEqual(expect.arrayContaining(['META-INF/', 'META-INF/MANIFEST.MF', 'x/', 'x/y.txt']));
        expect(await jar.readText('x/y.txt')).toBe('why ✓\n');
      });
    }
  });

  it('refuses an entry too large to hold as a string, naming it', async () => {
    const path = join(dir, 'large.jar');
    pyZip(path, [{ name: 'a.txt', text: 'x'.repeat(100) }]);
    await withJar(
      path,
      async (jar) => {
        expect((await jarError(jar.readText('a.txt'))).message).toBe(
          `${path}: a.txt has 100 bytes uncompressed; expected at most 99 to read it`,
        );
      },
      { maxEntrySize: 99 },
    );
  });
});

describe('readJarMetadata', () => {
  it('finds known names and the files native-image.properties wires in, and nothing else', async () => {
    const path = await jdkJar('lib.jar', {
      'META-INF/native-image/g/a/reflect-config.json': '[]',
      'META-INF/native-image/g/a/nested/proxy-config.json': '[["a.I"]]',
      'META-INF/native-image/g/a/native-image.properties':
        'Args = -H:ReflectionConfigurationResources=${.}/custom/extra-reflect.json \\\n' +
        '       -H:SerializationConfigurationResources=${.}/not-there.json,${.}/ser.txt\n',
      'META-INF/native-image/g/a/custom/extra-reflect.json': '[{"name":"b.B"}]',
      'META-INF/native-image/g/a/ser.txt': '[]',
      'META-INF/native-image/g/a/notes.json': '{}',
      'other/reflect-config.json': '[]',
    });
    expect(await readJarMetadata(path)).toEqual([
      { name: 'META-INF/native-image/g/a/custom/extra-reflect.json', kind: 'reflect', text: '[{"name":"b.B"}]' },
      { name: 'META-INF/native-image/g/a/nested/proxy-config.json', kind: 'proxy', text: '[["a.I"]]' },
      { name: 'META-INF/native-image/g/a/reflect-config.json', kind: 'reflect', text: '[]' },
      { name: 'META-INF/native-image/g/a/ser.txt', kind: 'serialization', text: '[]' },
    ]);
  });
});

describe('jar manifests', () => {
  it('joins the continuation lines the jar tool writes for long values', async () => {
    const classPath = Array.from({ length: 12 }, (_, i) => `lib/dependency-number-${i}-1.0.0.jar`).join(' ');
    const note = '✓'.repeat(40);
    const path = await jdkJar(
      'app.jar',
      { 'a/Main.class': 'x' },
      'cf',
      `Main-Class: a.Main\nClass-Path: ${classPath}\nX-Note: ${note}\n`,
    );
    // the jar tool folded the long lines at 72 bytes, splitting a ✓ (three bytes) on the way
    const raw = await withJar(path, (jar) => jar.readBytes('META-INF/MANIFEST.MF'));
    expect(raw.toString('latin1')).toMatch(/\r\n [^\r\n]/);
    expect(raw.toString('utf8')).toContain('\ufffd');
    const manifest = (await jarManifest(path))!;
    expect(manifest.get('Main-Class')).toBe('a.Main');
    expect(manifest.get('class-path')).toBe(classPath);
    expect(manifest.get('X-Note')).toBe(note);
    expect(manifest.attributes.get('Manifest-Version')).toBe('1.0');
  });

  it('reads the main section only, with any line ending', () => {
    const check = Buffer.from('✓');
    const bytes = Buffer.concat([
      Buffer.from('\uFEFFManifest-Version: 1.0\nClass-Path: a.jar\n  b.jar\r\n c.jar\rX-Ünï: '),
      check.subarray(0, 1),
      Buffer.from('\n '),
      check.subarray(1),
      Buffer.from('\nMain-Class: M\nMain-Class: N\nbroken line\n continued\n\nName: a/\nX-Other: NotThis\n'),
    ]);
    const m = parseManifest(bytes);
    expect([...m.attributes]).toEqual([
      ['Manifest-Version', '1.0'],
      ['Class-Path', 'a.jar b.jarc.jar'],
      ['X-Ünï', '✓'],
      ['Main-Class', 'N'],
    ]);
    expect(m.get('MAIN-CLASS')).toBe('N');
    expect(m.get('x-ünï')).toBe('✓');
    expect(m.get('Name')).toBeUndefined();
    expect(m.get('X-Other')).toBeUndefined();
  });
});

describe('jar errors', () => {
  it('says a file that is not a zip is not one', async () => {
    for (const [name, content] of [
      ['text.jar', 'just some text, long enough to be searched for an end record\n'.repeat(50)],
      ['empty.jar', ''],
    ] as const) {
      const path = join(dir, name);
      await writeFile(path, content);
      const e = await jarError(openJar(path));
      expect(e.message).toBe(
        `${path}: not a jar (zip) file, or one cut short: found no end-of-central-directory record`,
      );
      expect(e.message).not.toContain('\n');
      await expect(readJarMetadata(path)).rejects.toThrow(e.message);
    }
  });

  it('says a truncated jar is cut short', async () => {
    const path = await jdkJar('cut.jar', {
      'META-INF/native-image/reflect-config.json': '[]',
      'b.txt': 'b'.repeat(5000),
    });
    const size = (await readFile(path)).length;
    await truncate(path, Math.floor(size / 2));
    expect((await jarError(readJarMetadata(path))).message).toBe(
      `${path}: not a jar (zip) file, or one cut short: found no end-of-central-directory record`,
    );
  });

  it('says a damaged central directory or entry is damaged', async () => {
    const path = join(dir, 'damaged.jar');
    const offsets = pyZip(path, [
      { name: 'a.txt', text: 'a' },
      { name: 'b.txt', text: 'b' },
      // large enough, and poorly compressible, that its stream is still reading when inflating fails
      {
        name: 'c.txt',
        text: Array.from({ length: 100_000 }, (_, i) => ((i * 2654435761) % 2 ** 32).toString(36)).join(),
      },
    ]);
    const good = await readFile(path);

    // the second central directory header's signature overwritten
    const central = good.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    const badCentral = Buffer.from(good);
    badCentral.write('XX', central, 'latin1');
    await writeFile(path, badCentral);
    const e = await jarError(openJar(path));
    expect(e.message.startsWith(`${path}: damaged zip central directory: `)).toBe(true);
    await released(path);

    // b.txt's local header overwritten
    const badLocal = Buffer.from(good);
    badLocal.write('XX', offsets['b.txt']!, 'latin1');
    await writeFile(path, badLocal);
    await withJar(path, async (jar) => {
      expect(await jar.readText('a.txt')).toBe('a');
      expect((await jarError(jar.readText('b.txt'))).message.startsWith(`${path}: damaged zip entry b.txt: `)).toBe(
        true,
      );
    });
    await released(path);

    // c.txt's deflated data overwritten
    const badData = Buffer.from(good);
    badData.fill(0xff, offsets['c.txt']! + 30 + 'c.txt'.length, offsets['c.txt']! + 40 + 'c.txt'.length);
    await writeFile(path, badData);
    await withJar(path, async (jar) => {
      expect((await jarError(jar.readText('c.txt'))).message).toMatch(/: damaged zip entry c\.txt: invalid /);
    });
    await released(path);

    // a central directory that claims more than the file holds
    const eocd = good.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    const badCount = Buffer.from(good);
    badCount.writeUInt16LE(good.readUInt16LE(eocd + 8) + 1, eocd + 8);
    badCount.writeUInt16LE(good.readUInt16LE(eocd + 10) + 1, eocd + 10);
    await writeFile(path, badCount);
    expect((await jarError(openJar(path))).message.startsWith(`${path}: damaged zip central directory: `)).toBe(true);
  });

  it('names an entry whose compression is not supported', async () => {
    const path = join(dir, 'bzip2.jar');
    pyZip(path, [
      { name: 'META-INF/native-image/reflect-config.json', text: '[]', method: 'bzip2' },
      { name: 'ok.txt', text: 'ok', method: 'deflated' },
    ]);
    await withJar(path, async (jar) => {
      expect(await jar.readText('ok.txt')).toBe('ok');
    });
    expect((await jarError(readJarMetadata(path))).message).toBe(
      `${path}: META-INF/native-image/reflect-config.json uses zip compression method 12, which is not supported (stored and deflated are)`,
    );
  });

  it('says a missing jar is missing', async () => {
    const path = join(dir, 'none.jar');
    expect((await jarError(openJar(path))).message).toBe(`${path}: cannot read the jar: no such file or directory`);
  });
});
