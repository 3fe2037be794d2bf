import { describe, expect, it } from 'vitest';
import { readCtgovFile } from '../../../src/sources/ctgov/ctgov-file.js';
import { ctgovFixtureText } from '../../../testkit/fake-ctgov.js';
import { recordingReader } from '../recording-reader.js';
import { drain, thrownAsync } from '../page-stream.js';

describe('readCtgovFile', () => {
  const file = (name: string, content: string) => ({ name, content: Buffer.from(content, 'utf8') });

  it('reads a study, a /studies page, an array download and NDJSON, never as a full listing', async () => {
    const one = ctgovFixtureText('NCT00000410');
    const two = ctgovFixtureText('NCT00124774');
    const cases: [string, string, string][] = [
      ['study.json', one, 'study'],
      ['page.json', `{"studies":[${one},${two}],"nextPageToken":"x"}`, 'studies-page'],
      ['ctg-studies.json', `[\n${one},\n${two}\n]`, 'study-array'],
      [
        'studies.ndjson',
        `${JSON.stringify(JSON.parse(one))}\n${JSON.stringify(JSON.parse(two))}\n`,
        'ndjson',
      ],
    ];
    for (const [name, content, format] of cases) {
      const reader = recordingReader();
      const { end } = await drain(readCtgovFile(file(name, content), reader));
      const { records } = reader;
      expect(records.length, name).toBe(format === 'study' ? 1 : 2);
      expect(end).toEqual({
        listing: 'partial',
        complete: true,
        info: { file: name, format, studies: records.length },
      });
    }
  });

  it('refuses what it cannot read, naming the file', async () => {
    for (const [content, reason] of [
      ['', 'the file is empty'],
      ['{"data":[]}', 'expected a study'],
      ['not json', 'is not JSON'],
      ['{"a":1}\n{"b":', 'is not JSON'],
    ] as const) {
      const error = await thrownAsync(() => drain(readCtgovFile(file('x.json', content), recordingReader())));
      expect(error).toMatchObject({ code: 'IMPORT_UNREADABLE' });
      expect(error.message).toContain(reason);
    }
    const study = Buffer.from(ctgovFixtureText('NCT00000410'), 'utf8');
    const bad = Buffer.concat([study.subarray(0, 100), Buffer.from([0xff]), study.subarray(100)]);
    const error = await thrownAsync(() =>
      drain(readCtgovFile({ name: 'bad.json', content: bad }, recordingReader())),
    );
    expect(error).toMatchObject({ code: 'IMPORT_UNREADABLE' });
    expect(error.message).toContain(
      `bad.json: the file is not valid UTF-8 (${bad.length} bytes, 1 bad, the first at offset 100)`,
    );
    // Cut inside a character: a cut JSON file, not an encoding problem.
    const cut = Buffer.from('[{"a":"임상', 'utf8');
    const cutError = await thrownAsync(() =>
      drain(readCtgovFile({ name: 'cut.json', content: cut.subarray(0, cut.length - 1) }, recordingReader())),
    );
    expect(cutError.message).toContain('is not JSON');
  });
});
