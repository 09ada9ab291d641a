import { createClient as createWebSocketClient } from 'graphql-ws/client';
import { createClient } from '../../src/client/index.ts';
import { type GenerationSummary, GenwayError, generationFields, graphql, isActive, session, webSocketUrl } from './api.ts';
import { formatTime, h } from './dom.ts';

/** Stops whatever live feed the page that is leaving had open. */
export type Cleanup = () => void;

function progressBar(generation: GenerationSummary) {
  const value = generation.status === 'COMPLETED' ? 1 : (generation.progress ?? 0);
  return h('progress', { max: 1, value, 'aria-label': `Progress of ${generation.id}` });
}

function row(generation: GenerationSummary) {
  return h(
    'tr',
    { 'data-id': generation.id },
    h('td', {}, formatTime(generation.createdAt)),
    h('td', {}, generation.type),
    h('td', {}, `${generation.provider} / ${generation.route}`),
    h('td', { class: `status-${generation.status}`, 'data-status': generation.status }, generation.status),
    h('td', {}, progressBar(generation)),
    h('td', {}, generation.creditCost),
    h('td', {}, h('a', { href: `#/generations/${generation.id}` }, 'Open')),
  );
}

/** The account's generations, newest first, kept current by the `generationsUpdated` subscription. */
export async function renderGenerations(main: HTMLElement): Promise<Cleanup> {
  const body = h('tbody');
  const table = h(
    'table',
    {},
    h('caption', { class: 'hint' }, 'Updated live'),
    h('thead', {}, h('tr', {}, ...['Created', 'Type', 'Provider / route', 'Status', 'Progress', 'Credits', ''].map((title) => h('th', { scope: 'col' }, title)))),
    body,
  );
  main.replaceChildren(h('section', { class: 'panel' }, h('h1', {}, 'Generations'), table));
  const page = await graphql<{ generations: { edges: Array<{ node: GenerationSummary }> } }>(`{ generations(first: 50) { edges { node { ${generationFields} } } } }`);
  body.replaceChildren(...page.generations.edges.map((edge) => row(edge.node)));
  const socket = createWebSocketClient({ url: webSocketUrl(), connectionParams: { authorization: `Bearer ${session.key()}` } });
  const stop = socket.subscribe<{ generationsUpdated: GenerationSummary }>(
    { query: `subscription { generationsUpdated { ${generationFields} } }` },
    {
      next: ({ data }) => {
        if (!data) return;
        const fresh = row(data.generationsUpdated);
        const existing = body.querySelector(`tr[data-id="${data.generationsUpdated.id}"]`);
        if (existing) existing.replaceWith(fresh);
        else body.prepend(fresh);
      },
      error: () => {},
      complete: () => {},
    },
  );
  return () => {
    stop();
    void socket.dispose();
  };
}

function mediaOf(generation: GenerationSummary) {
  if (generation.status !== 'COMPLETED' || !generation.url) return null;
  const label = `Output of ${generation.id}`;
  if (generation.type === 'IMAGE') return h('img', { class: 'output', src: generation.url, alt: label });
  if (generation.type === 'AUDIO') return h('audio', { class: 'output', src: generation.url, controls: true, 'aria-label': label });
  return h('video', { class: 'output', src: generation.url, controls: true, playsinline: true, 'aria-label': label });
}

function copyButton(text: string, what: string) {
  const button = h('button', { type: 'button', class: 'secondary' }, `Copy ${what}`);
  button.addEventListener('click', async () => {
    await navigator.clipboard?.writeText(text).catch(() => {});
    button.textContent = 'Copied';
  });
  return button;
}

interface Delivery {
  id: string;
  attempt: number;
  at: string;
  status: number | null;
  latencyMs: number;
  outcome: string;
  error: string | null;
}

async function deliveriesPanel(generation: GenerationSummary) {
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'webhooks-title' }, h('h2', { id: 'webhooks-title' }, 'Webhook deliveries'));
  if (!generation.webhookUrl) return panel.appendChild(h('p', { class: 'hint' }, 'No webhookUrl was given for this generation.')).parentElement!;
  const { webhookDeliveries } = await graphql<{ webhookDeliveries: Delivery[] }>('query ($id: ID!) { webhookDeliveries(generationId: $id) { id attempt at status latencyMs outcome error } }', {
    id: generation.id,
  });
  const redeliver = h('button', { type: 'button', disabled: isActive(generation.status) }, 'Redeliver');
  const note = h('p', { class: 'hint', 'aria-live': 'polite' });
  redeliver.addEventListener('click', async () => {
    await graphql('mutation ($id: ID!) { redeliverWebhook(generationId: $id) }', { id: generation.id });
    note.textContent = 'Queued for delivery again.';
  });
  panel.append(
    h('p', {}, generation.webhookUrl),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...['Attempt', 'At', 'HTTP', 'Latency', 'Outcome', 'Error'].map((title) => h('th', { scope: 'col' }, title)))),
      h(
        'tbody',
        {},
        ...webhookDeliveries.map((delivery) =>
          h(
            'tr',
            {},
            h('td', {}, delivery.attempt),
            h('td', {}, formatTime(delivery.at)),
            h('td', {}, delivery.status ?? '—'),
            h('td', {}, `${delivery.latencyMs} ms`),
            h('td', {}, delivery.outcome),
            h('td', {}, delivery.error ?? ''),
          ),
        ),
      ),
    ),
    redeliver,
    note,
  );
  return panel;
}

function requestAsCode(generation: GenerationSummary) {
  const document = `query { generation(id: "${generation.id}") { id status progress url metadata { width height duration format } error { code message } } }`;
  const curl = `curl -s ${location.origin}/graphql -H 'Content-Type: application/json' -H "Authorization: Bearer $GENWAY_KEY" -d '${JSON.stringify({ query: document })}'`;
  return { document, curl };
}

async function detailView(generation: GenerationSummary) {
  const media = mediaOf(generation);
  const cancel = isActive(generation.status) ? h('button', { type: 'button', class: 'secondary' }, 'Cancel') : null;
  cancel?.addEventListener('click', () => void graphql('mutation ($id: ID!) { cancelGeneration(id: $id) }', { id: generation.id }));
  const { document, curl } = requestAsCode(generation);
  const meta = generation.metadata ?? { width: null, height: null, duration: null, format: null, contentType: null, sizeBytes: null };
  return [
    h(
      'section',
      { class: 'panel' },
      h('h1', {}, `Generation ${generation.id}`),
      h('p', {}, h('span', { class: `status-${generation.status}`, 'data-status': generation.status, 'aria-live': 'polite' }, generation.status), ' ', progressBar(generation)),
      generation.error ? h('p', { class: 'error', role: 'alert' }, h('strong', { 'data-error-code': generation.error.code }, generation.error.code), `: ${generation.error.message}`) : null,
      media ? h('div', { class: 'media' }, media) : null,
      h(
        'dl',
        { class: 'meta' },
        ...[
          ['Type', generation.type],
          ['Provider / route', `${generation.provider} / ${generation.route}`],
          ['Credits', generation.creditCost],
          ['Created', formatTime(generation.createdAt)],
          ['Started', formatTime(generation.startedAt)],
          ['Completed', formatTime(generation.completedAt)],
          ['Width', meta.width],
          ['Height', meta.height],
          ['Duration', meta.duration === null ? null : `${meta.duration} s`],
          ['Format', meta.format],
        ].flatMap(([term, value]) => [h('dt', {}, term), h('dd', { 'data-meta': String(term).toLowerCase() }, value ?? '—')]),
      ),
      // Every field the API has, so a new one shows here without a change to the console.
      h('details', { class: 'every-field' }, h('summary', {}, 'Every field'), h('pre', { 'data-every-field': '' }, JSON.stringify(generation, null, 2))),
      cancel,
    ),
    h('section', { class: 'panel' }, h('h2', {}, 'Ask for it yourself'), h('pre', {}, curl), copyButton(curl, 'curl'), h('pre', {}, document), copyButton(document, 'GraphQL')),
    await deliveriesPanel(generation),
  ];
}

/** One generation, redrawn on every change pushed by `generationUpdated` until it ends. */
export async function renderGeneration(main: HTMLElement, id: string): Promise<Cleanup> {
  const load = async () => (await graphql<{ generation: GenerationSummary | null }>(`query ($id: ID!) { generation(id: $id) { ${generationFields} } }`, { id })).generation;
  const first = await load();
  if (!first) {
    main.replaceChildren(h('section', { class: 'panel' }, h('h1', {}, 'Not found'), h('p', { role: 'alert' }, `No generation ${id} for this key.`)));
    return () => {};
  }
  main.replaceChildren(...(await detailView(first)));
  if (!isActive(first.status)) return () => {};
  const client = createClient({ baseUrl: location.origin, apiKey: session.key() ?? '', maxAttempts: 1 });
  const updates = client.subscribe(id);
  let stopped = false;
  const redraw = async () => {
    const current = await load();
    if (current && !stopped) main.replaceChildren(...(await detailView(current)));
    return current;
  };
  void (async () => {
    try {
      for await (const _ of updates) {
        if (stopped) break;
        await redraw();
      }
    } catch (error) {
      if (!(error instanceof GenwayError)) throw error;
      // No WebSocket (a proxy that drops upgrades, say): ask every two seconds until the generation ends.
      while (!stopped && isActive((await redraw())?.status ?? 'COMPLETED')) await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  return () => {
    stopped = true;
    void updates.return(undefined);
  };
}
