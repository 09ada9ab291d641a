import { GenwayError, graphql } from './api.ts';
import { field, h } from './dom.ts';

interface ProviderOption {
  name: string;
  type: string;
  required: boolean;
  description: string | null;
  allowedValues: string[] | null;
  default: unknown;
  minimum: number | null;
  maximum: number | null;
}

interface Provider {
  id: string;
  name: string;
  available: boolean;
  pricing: { creditCost: number; estimatedTime: number };
  options: ProviderOption[];
}

const types = ['VIDEO', 'IMAGE', 'AUDIO', 'AVATAR'] as const;
const mediaInputs = [
  { name: 'image', label: 'Image', accept: 'image/*' },
  { name: 'audio', label: 'Audio', accept: 'audio/*' },
  { name: 'video', label: 'Video', accept: 'video/*' },
] as const;
/** Files become data URIs in the request; the API's body limit is 20 MB, and base64 adds a third. */
const maxFileBytes = 14 * 1024 * 1024;

/** A control for one provider option, typed from its schema: enums as selects, numbers with their bounds. */
function optionControl(option: ProviderOption): HTMLInputElement | HTMLSelectElement {
  const defaultHint = option.default === undefined || option.default === null ? '' : String(option.default);
  if (option.allowedValues?.length || option.type === 'boolean') {
    const values = option.allowedValues?.length ? option.allowedValues : ['true', 'false'];
    return h('select', { name: option.name }, h('option', { value: '' }, defaultHint ? `default (${defaultHint})` : '—'), ...values.map((value) => h('option', { value }, value)));
  }
  const numeric = option.type === 'number' || option.type === 'integer';
  return h('input', {
    name: option.name,
    type: numeric ? 'number' : 'text',
    min: option.minimum ?? undefined,
    max: option.maximum ?? undefined,
    step: option.type === 'integer' ? 1 : numeric ? 'any' : undefined,
    placeholder: defaultHint,
  });
}

function optionValue(option: ProviderOption, raw: string): unknown {
  if (raw === '') return undefined;
  if (option.type === 'number' || option.type === 'integer') return Number(raw);
  if (option.type === 'boolean') return raw === 'true';
  if (option.allowedValues?.length && typeof option.default === 'number') return Number(raw);
  return raw;
}

const readAsDataUri = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

export async function renderPlayground(main: HTMLElement, navigate: (hash: string) => void) {
  const typeSelect = h('select', { name: 'type' }, ...types.map((type) => h('option', { value: type }, type)));
  const providerSelect = h('select', { name: 'provider' });
  const prompt = h('textarea', { name: 'prompt', required: true });
  const optionsBox = h('fieldset', { class: 'grid' });
  const estimate = h('p', { class: 'hint', 'aria-live': 'polite' });
  const formError = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, 'Generate');
  const mediaFields = mediaInputs.map((media) => {
    const url = h('input', { name: media.name, type: 'text', inputmode: 'url', placeholder: 'https://… or data:…' });
    const file = h('input', { type: 'file', accept: media.accept, 'aria-label': `${media.label} file` });
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      if (chosen.size > maxFileBytes) {
        formError.textContent = `${media.label} file is larger than ${maxFileBytes / 1024 / 1024} MB; give a URL instead`;
        return;
      }
      url.value = await readAsDataUri(chosen);
    });
    return { media, url, element: h('div', {}, field(`${media.label} (URL or data URI)`, url, { field: `input.${media.name}` }), file) };
  });
  let providers: Provider[] = [];

  const showOptions = () => {
    const provider = providers.find((candidate) => candidate.id === providerSelect.value);
    optionsBox.replaceChildren(h('legend', {}, provider ? `Options for ${provider.name}` : 'Options'));
    if (!provider) return;
    estimate.textContent = `Estimated cost: ${provider.pricing.creditCost} credits, about ${provider.pricing.estimatedTime} s (with default options)`;
    for (const option of provider.options) {
      const control = optionControl(option);
      const hint = [
        option.description,
        option.default !== undefined && option.default !== null ? `Default ${String(option.default)}` : null,
        option.minimum !== null ? `min ${option.minimum}` : null,
        option.maximum !== null ? `max ${option.maximum}` : null,
      ]
        .filter(Boolean)
        .join(' · ');
      optionsBox.append(field(option.name, control, { field: `options.${option.name}`, hint }));
    }
  };

  const loadProviders = async () => {
    const data = await graphql<{ providers: Provider[] }>(
      'query ($type: GenerationType) { providers(type: $type) { id name available pricing { creditCost estimatedTime } options { name type required description allowedValues default minimum maximum } } }',
      { type: typeSelect.value },
    );
    providers = data.providers;
    providerSelect.replaceChildren(...providers.map((provider) => h('option', { value: provider.id }, `${provider.name}${provider.available ? '' : ' (test keys only)'}`)));
    showOptions();
  };

  const clearErrors = () => {
    formError.textContent = '';
    for (const slot of main.querySelectorAll<HTMLElement>('[data-field]')) slot.textContent = '';
  };

  /** The error goes beside the field the API names (`options.duration`, `input.image` …), else above the button. */
  const showError = (error: unknown) => {
    const known = error instanceof GenwayError ? error : new GenwayError('INTERNAL', String(error));
    const slot = known.field ? [...main.querySelectorAll<HTMLElement>('[data-field]')].find((candidate) => known.field!.endsWith(candidate.dataset.field!)) : undefined;
    const text = `${known.code}: ${known.message}`;
    if (slot) slot.textContent = text;
    else formError.textContent = text;
  };

  const form = h(
    'form',
    { class: 'panel', novalidate: true },
    h('h1', {}, 'Playground'),
    h('div', { class: 'grid' }, field('Type', typeSelect), field('Provider', providerSelect, { field: 'provider' })),
    field('Prompt', prompt, { field: 'input.text' }),
    h('div', { class: 'grid' }, ...mediaFields.map((entry) => entry.element)),
    optionsBox,
    estimate,
    formError,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const provider = providers.find((candidate) => candidate.id === providerSelect.value);
    const options: Record<string, unknown> = {};
    for (const option of provider?.options ?? []) {
      const control = optionsBox.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${option.name}"]`);
      const value = control ? optionValue(option, control.value) : undefined;
      if (value !== undefined) options[option.name] = value;
    }
    const input: Record<string, unknown> = { text: prompt.value };
    for (const { media, url } of mediaFields) if (url.value) input[media.name] = url.value;
    submit.disabled = true;
    try {
      const data = await graphql<{ generate: { id: string } }>('mutation ($input: GenerateInput!) { generate(input: $input) { id } }', {
        input: { type: typeSelect.value, provider: providerSelect.value, input, options },
      });
      navigate(`#/generations/${data.generate.id}`);
    } catch (error) {
      showError(error);
    } finally {
      submit.disabled = false;
    }
  });
  typeSelect.addEventListener('change', () => void loadProviders());
  providerSelect.addEventListener('change', showOptions);
  main.replaceChildren(form);
  await loadProviders();
}
