import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleHttpError } from '../../src/http/error-handler.ts';
import { paletteFor } from '../../src/media/palette.ts';
import { renderPng } from '../../src/media/render-media.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

const png = Buffer.from(renderPng(64, 64, paletteFor('malformed', 1)));
const boundary = 'malformedboundary';
const multipart = { 'content-type': `multipart/form-data; boundary=${boundary}` };
const tokenField = (token: string) => `--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n${token}\r\n`;
const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="frame.png"\r\nContent-Type: image/png\r\n\r\n`;

describe('hardening #7: malformed input', () => {
  let harness: TestGateway;
  let key: string;

  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
    key = (await harness.createAccount()).testKey;
  });
  afterAll(() => harness.close());

  /** A fresh upload form: where to post it, and its token. */
  async function uploadForm(): Promise<{ url: string; token: string }> {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/runway/v1/uploads',
      headers: { authorization: `Bearer ${key}`, 'x-runway-version': '2024-11-06' },
      payload: { filename: 'frame.png', type: 'ephemeral' },
    });
    const { uploadUrl, fields } = response.json();
    return { url: new URL(uploadUrl).pathname, token: fields.token };
  }

  it('a multipart upload without a boundary answers 400 INVALID_INPUT, not 500', async () => {
    const form = await uploadForm();
    const response = await harness.app.inject({ method: 'POST', url: form.url, headers: { 'content-type': 'multipart/form-data' }, payload: tokenField(form.token) });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('INVALID_INPUT');
  });

  it('a multipart upload whose body never shows its boundary answers 400 INVALID_INPUT, not 500', async () => {
    const form = await uploadForm();
    const response = await harness.app.inject({ method: 'POST', url: form.url, headers: multipart, payload: 'not a multipart body at all' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('INVALID_INPUT');
  });

  it('an upload whose body ends in the middle of its file answers 400 INVALID_INPUT and keeps nothing of it', async () => {
    const form = await uploadForm();
    const payload = Buffer.concat([Buffer.from(tokenField(form.token) + fileHead), png.subarray(0, png.length / 2)]);
    const response = await harness.app.inject({ method: 'POST', url: form.url, headers: multipart, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('INVALID_INPUT');
    expect(await readdir(path.join(harness.config.DATA_DIR, 'uploads')).catch(() => [])).toEqual([]);
  });

  it('an upload with a wrong token whose body ends in the middle of its file answers 403 FORBIDDEN, nothing left unheard', async () => {
    const form = await uploadForm();
    const payload = Buffer.concat([Buffer.from(tokenField('not-the-token') + fileHead), png.subarray(0, png.length / 2)]);
    const response = await harness.app.inject({ method: 'POST', url: form.url, headers: multipart, payload });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
  });

  it('an upload link too long to be one answers 404 NOT_FOUND, not 500', async () => {
    const response = await harness.app.inject({ method: 'GET', url: `/uploads/upl_${'a'.repeat(20)}/${'b'.repeat(90)}` });
    expect(response.statusCode).toBe(404);
    expect(response.json().errors[0].extensions.code).toBe('NOT_FOUND');
  });

  describe("@fastify/multipart's own limit errors", () => {
    let app: FastifyInstance;

    beforeAll(async () => {
      app = Fastify();
      app.setErrorHandler(handleHttpError);
      await app.register(fastifyMultipart);
      const errors = app.multipartErrors;
      const thrown = { parts: errors.PartsLimitError, files: errors.FilesLimitError, fields: errors.FieldsLimitError, 'file-size': errors.RequestFileTooLargeError };
      for (const [name, MultipartError] of Object.entries(thrown)) {
        app.post(`/throws/${name}`, async () => {
          throw new MultipartError();
        });
      }
    });
    afterAll(() => app.close());

    it.each(['parts', 'files', 'fields', 'file-size'])('the %s limit answers 413 PAYLOAD_TOO_LARGE', async (limit) => {
      const response = await app.inject({ method: 'POST', url: `/throws/${limit}` });
      expect(response.statusCode).toBe(413);
      expect(response.json().errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });
});
