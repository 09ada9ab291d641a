import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.ts';
import { repositoryRoot } from './support/processes.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

/** The few DOM shapes these tests read in the page (the test project compiles without the DOM library). */
interface PageImage {
  complete: boolean;
  naturalWidth: number;
}
interface PageVideo {
  readyState: number;
  videoWidth: number;
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
}

/** Debian's Chromium (`.ci/run` installs it when missing). */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.join(repositoryRoot, 'test-artifacts');

describe('the web console, in headless Chromium', () => {
  let harness: TestGateway;
  let browser: Browser;
  let page: Page;
  let base: string;
  let keys: { testKey: string; liveKey: string };

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    harness = await startTestGateway({ PUBLIC_URL: base, SANDBOX_LATENCY_MS: '800' });
    await harness.app.listen({ port, host: '127.0.0.1' });
    keys = await harness.createAccount({ credits: 5000 });
    await mkdir(artifacts, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  const screenshot = (name: string) => page.screenshot({ path: path.join(artifacts, `console-${name}.png`), fullPage: true });

  /** Fills the playground and presses Generate; answers once the detail page shows a final status. */
  async function generateThroughForm(type: string, prompt: string, options: Record<string, string> = {}, provider?: string) {
    await page.goto(`${base}/console/#/playground`);
    await page.getByLabel('Type').selectOption(type);
    await expect.poll(() => page.getByLabel('Provider').locator('option').count()).toBeGreaterThan(0);
    if (provider) await page.getByLabel('Provider').selectOption(provider);
    await page.getByLabel('Prompt').fill(prompt);
    for (const [name, value] of Object.entries(options)) await page.getByLabel(name, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Generate' }).click();
  }

  const finalStatus = async () => {
    const status = page.locator('[data-status]').first();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 20_000 }).toMatch(/COMPLETED|FAILED|CANCELLED/);
    return status.getAttribute('data-status');
  };

  it('signs in with a test key and shows the Test mode badge', async () => {
    await page.goto(`${base}/console/`);
    await page.getByLabel('API key').fill(keys.testKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
    expect(await page.getByText('Test mode', { exact: true }).isVisible()).toBe(true);
    expect(page.url()).not.toContain(keys.testKey);
    await screenshot('playground');
  });

  it('makes an IMAGE through the form and shows the stored output at its real size', async () => {
    await generateThroughForm('IMAGE', 'a lighthouse at dawn');
    expect(await finalStatus()).toBe('COMPLETED');
    const image = page.locator('img.output');
    await expect.poll(() => image.evaluate((element) => (element as unknown as PageImage).complete && (element as unknown as PageImage).naturalWidth)).toBeGreaterThan(0);
    const naturalWidth = await image.evaluate((element) => (element as unknown as PageImage).naturalWidth);
    expect(String(naturalWidth)).toBe(await page.locator('dd[data-meta="width"]').textContent());
    await screenshot('image');
  });

  it("shows every field the API has on a generation's page, updatedAt among them", async () => {
    await generateThroughForm('IMAGE', 'a lighthouse at dusk');
    expect(await finalStatus()).toBe('COMPLETED');
    const everyField = JSON.parse((await page.locator('[data-every-field]').textContent()) ?? '{}');
    expect(Date.parse(everyField.updatedAt)).toBeGreaterThanOrEqual(Date.parse(everyField.createdAt));
  });

  it('makes a VIDEO through the form and plays the stored output at its real size', async () => {
    await generateThroughForm('VIDEO', 'waves on a shore', {}, 'runway');
    expect(await finalStatus()).toBe('COMPLETED');
    const video = page.locator('video.output');
    await expect.poll(() => video.evaluate((element) => (element as unknown as PageVideo).readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const videoWidth = await video.evaluate((element) => (element as unknown as PageVideo).videoWidth);
    expect(String(videoWidth)).toBe(await page.locator('dd[data-meta="width"]').textContent());
    await screenshot('video');
  });

  it('shows the API’s validation error beside the option it names', async () => {
    await generateThroughForm('VIDEO', 'too long', { duration: '999' }, 'runway');
    const error = page.locator('[data-field="options.duration"]');
    await expect.poll(() => error.textContent()).toMatch(/^INVALID_INPUT/);
    await screenshot('validation');
  });

  it('shows the error code of a failed generation', async () => {
    await generateThroughForm('IMAGE', 'this one fails [sandbox:fail]');
    expect(await finalStatus()).toBe('FAILED');
    expect(await page.locator('[data-error-code]').textContent()).toBe('GENERATION_FAILED');
    await screenshot('failed');
  });

  it('lists generations with their status', async () => {
    await page.goto(`${base}/console/#/generations`);
    await page.getByRole('heading', { name: 'Generations' }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('tbody [data-status="COMPLETED"]').count()).toBeGreaterThanOrEqual(2);
    await screenshot('generations');
  });

  it('draws the usage chart from live spending', async () => {
    const spent = await harness.runGeneration(keys.liveKey, { type: 'IMAGE', provider: 'sandbox', input: { text: 'billed' } });
    expect(spent.status).toBe('COMPLETED');
    await page.goto(`${base}/console/#/usage`);
    await page.getByRole('heading', { name: 'Usage' }).waitFor();
    const summary = page.locator('p[aria-live]');
    await expect.poll(() => summary.textContent()).toMatch(/^[1-9]\d* credits over 1 live generations/);
    const drawn = await page.locator('canvas').evaluate((element) => {
      const canvas = element as unknown as PageCanvas;
      const pixels = Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
      return canvas.width > 0 && pixels.some((value, index) => index % 4 === 3 && value > 0);
    });
    expect(drawn).toBe(true);
    await screenshot('usage');
  });
});
