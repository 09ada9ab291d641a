type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/** A small element builder: `h('button', { type: 'button', onclick }, 'Go')`. Strings become text, never HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child instanceof Node ? child : String(child));
  return element;
}

let uniqueId = 0;
export const nextId = (prefix: string) => `${prefix}-${++uniqueId}`;

/** A labelled control with a slot for the error the API names for `field`. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, options: { field?: string; hint?: string } = {}) {
  control.id ||= nextId('field');
  const hintId = options.hint ? nextId('hint') : null;
  const errorId = nextId('error');
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hintId ? h('div', { id: hintId, class: 'hint' }, options.hint) : null,
    h('div', { id: errorId, class: 'field-error', 'data-field': options.field, role: 'alert' }),
  );
}

export const formatTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
