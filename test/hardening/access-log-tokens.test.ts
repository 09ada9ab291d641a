import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paletteFor } from '../../src/media/palette.ts';
import { renderPng } from '../../src/media/render-media.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

const png = Buffer.from(renderPng(64, 64, paletteFor('access log', 1)));
const boundary = 'accesslogboundary';

/** A multipart upload form body: the token field, then the file. */
const formBody = (token: string) =>
  Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="frame.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);

describe('hardening #10: upload tokens in the access log', () => {
  let harness: TestGateway;
  let key: string;
  const lines: string[] = [];
  const accessLines = () => lines.filter((line) => JSON.parse(line).msg === 'request');

  beforeAll(async () => {
    const log = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        callback();
      },
    });
    harness = await startTestGateway({ LOG_LEVEL: 'info' }, { worker: false, logTo: log });
    key = (await harness.createAccount()).testKey;
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    lines.length = 0;
  });

  /** An upload with its file received: its id and the form's token. */
  async function upload(): Promise<{ id: string; token: string }> {
    const form = await harness.app.inject({
      method: 'POST',
      url: '/runway/v1/uploads',
      headers: { authorization: `Bearer ${key}`, 'x-runway-version': '2024-11-06' },
      payload: { filename: 'frame.png', type: 'ephemeral' },
    });
    const { fields } = form.json();
    const posted = await harness.app.inject({
      method: 'POST',
      url: `/runway/uploads/${fields.key}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: formBody(fields.token),
    });
    expect(posted.statusCode).toBe(201);
    return { id: fields.key, token: fields.token };
  }

  it("the access log line of an upload link names the upload but not the link's token", async () => {
    const { id } = await upload();
    const link = new URL(await harness.gateway.uploads.linkFor(id));
    const linkToken = link.pathname.split('/').pop()!;
    expect((await harness.app.inject({ method: 'GET', url: link.pathname })).statusCode).toBe(200);
    const served = accessLines().filter((line) => line.includes(id));
    expect(served.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(linkToken);
  });

  it("an upload form's token sent in the query string stays out of the access log", async () => {
    const form = await harness.app.inject({
      method: 'POST',
      url: '/runway/v1/uploads',
      headers: { authorization: `Bearer ${key}`, 'x-runway-version': '2024-11-06' },
      payload: { filename: 'frame.png', type: 'ephemeral' },
    });
    const { fields } = form.json();
    await harness.app.inject({
      method: 'POST',
      url: `/runway/uploads/${fields.key}?token=${fields.token}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: formBody(fields.token),
    });
    const posted = accessLines().filter((line) => line.includes(fields.key));
    expect(posted.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(fields.token);
  });
});
