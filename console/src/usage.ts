import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { graphql } from './api.ts';
import { h } from './dom.ts';
import type { Cleanup } from './generations.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

interface UsageDay {
  date: string;
  credits: number;
  generations: number;
  lines: Array<{ type: string; provider: string; credits: number; generations: number }>;
}

interface AccountLimits {
  account: {
    plan: string;
    credits: number;
    rateLimit: { perMinute: number; concurrent: number; perDay: number | null; remainingThisMinute: number; remainingToday: number | null; running: number; waiting: number };
  };
}

const palette = ['#3050d0', '#d0783a', '#2f9e6e', '#b04fb0', '#c9a227'];

/** Credits per day for 30 or 90 days as a stacked bar chart, by type or by provider, beside the balance and what the plan allows. */
export async function renderUsage(main: HTMLElement): Promise<Cleanup> {
  const period = h('select', { name: 'days' }, h('option', { value: '30' }, 'Last 30 days'), h('option', { value: '90' }, 'Last 90 days'));
  const split = h('select', { name: 'split' }, h('option', { value: 'type' }, 'By type'), h('option', { value: 'provider' }, 'By provider'));
  period.id = 'usage-period';
  split.id = 'usage-split';
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Credits spent per day' });
  const summary = h('p', { class: 'hint', 'aria-live': 'polite' });
  const limits = h('dl', { class: 'meta' });
  main.replaceChildren(
    h('section', { class: 'panel' }, h('h1', {}, 'Usage'), limits),
    h(
      'section',
      { class: 'panel' },
      h('div', { class: 'grid' }, h('div', {}, h('label', { for: period.id }, 'Period'), period), h('div', {}, h('label', { for: split.id }, 'Split'), split)),
      h('div', { class: 'chart-box' }, canvas),
      summary,
    ),
  );
  const { account } = await graphql<AccountLimits>('{ account { plan credits rateLimit { perMinute concurrent perDay remainingThisMinute remainingToday running waiting } } }');
  const limit = account.rateLimit;
  limits.replaceChildren(
    ...[
      ['Balance', `${account.credits} credits`],
      ['Plan', account.plan],
      ['Generations this minute', `${limit.perMinute - limit.remainingThisMinute} of ${limit.perMinute}`],
      ['Generations today', limit.perDay === null ? 'unlimited' : `${limit.perDay - (limit.remainingToday ?? 0)} of ${limit.perDay}`],
      ['Running at once', `${limit.running} of ${limit.concurrent} (${limit.waiting} waiting)`],
    ].flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );

  let chart: Chart | null = null;
  const draw = async () => {
    const { usage } = await graphql<{ usage: UsageDay[] }>('query ($days: Int) { usage(days: $days) { date credits generations lines { type provider credits generations } } }', {
      days: Number(period.value),
    });
    const days = [...usage].reverse();
    const key = split.value as 'type' | 'provider';
    const groups = [...new Set(days.flatMap((day) => day.lines.map((line) => line[key])))].sort();
    const datasets = (groups.length ? groups : ['credits']).map((group, index) => ({
      label: group,
      backgroundColor: palette[index % palette.length],
      data: days.map((day) => day.lines.filter((line) => line[key] === group).reduce((sum, line) => sum + line.credits, 0)),
    }));
    chart?.destroy();
    chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: days.map((day) => day.date), datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
    });
    const total = days.reduce((sum, day) => sum + day.credits, 0);
    summary.textContent = `${total} credits over ${days.reduce((sum, day) => sum + day.generations, 0)} live generations in the last ${period.value} days.`;
  };
  period.addEventListener('change', () => void draw());
  split.addEventListener('change', () => void draw());
  await draw();
  return () => chart?.destroy();
}
