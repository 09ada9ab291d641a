import './styles.css';
import { GenwayError, graphql, session } from './api.ts';
import { field, h } from './dom.ts';
import { type Cleanup, renderGeneration, renderGenerations } from './generations.ts';
import { renderPlayground } from './playground.ts';
import { renderUsage } from './usage.ts';

const main = document.querySelector<HTMLElement>('#main')!;
const nav = document.querySelector<HTMLElement>('#nav')!;
const badge = document.querySelector<HTMLElement>('#mode-badge')!;
const signOut = document.querySelector<HTMLButtonElement>('#sign-out')!;
let cleanup: Cleanup = () => {};

const navigate = (hash: string) => {
  if (location.hash === hash) void route();
  else location.hash = hash;
};

/** Checks a key against the API and shows whether it is a test key. */
async function whoAmI(key: string) {
  const { account } = await graphql<{ account: { name: string; testMode: boolean } }>('{ account { name testMode } }', {}, key);
  badge.hidden = !account.testMode;
  nav.hidden = false;
  signOut.hidden = false;
  return account;
}

function renderSignIn() {
  nav.hidden = true;
  badge.hidden = true;
  signOut.hidden = true;
  const key = h('input', { type: 'password', name: 'apiKey', autocomplete: 'off', required: true });
  const problem = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'panel' },
    h('h1', {}, 'Sign in'),
    field('API key', key, { hint: 'A gw_test_… or gw_live_… key. It is kept in this tab only.' }),
    problem,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.textContent = '';
    try {
      await whoAmI(key.value.trim());
      session.signIn(key.value.trim());
      navigate('#/playground');
    } catch (error) {
      problem.textContent = error instanceof GenwayError ? `${error.code}: ${error.message}` : String(error);
    }
  });
  main.replaceChildren(form);
  key.focus();
}

async function route() {
  cleanup();
  cleanup = () => {};
  const key = session.key();
  if (!key) return renderSignIn();
  const path = location.hash.replace(/^#/, '') || '/playground';
  for (const link of nav.querySelectorAll('a')) link.toggleAttribute('aria-current', link.getAttribute('href') === `#${path}`);
  for (const link of nav.querySelectorAll('a[aria-current]')) link.setAttribute('aria-current', 'page');
  try {
    if (badge.hidden && nav.hidden) await whoAmI(key);
    const detail = /^\/generations\/(.+)$/.exec(path);
    if (detail) cleanup = await renderGeneration(main, decodeURIComponent(detail[1]!));
    else if (path === '/generations') cleanup = await renderGenerations(main);
    else if (path === '/usage') cleanup = await renderUsage(main);
    else await renderPlayground(main, navigate);
    main.focus();
  } catch (error) {
    if (error instanceof GenwayError && error.code === 'UNAUTHENTICATED') {
      session.signOut();
      return renderSignIn();
    }
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, error instanceof GenwayError ? `${error.code}: ${error.message}` : String(error)));
  }
}

signOut.addEventListener('click', () => {
  session.signOut();
  navigate('#/');
});
window.addEventListener('hashchange', () => void route());
void route();
