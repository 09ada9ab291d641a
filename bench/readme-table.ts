import { withGeneratedSection } from '../src/cli/generated-section.ts';

/**
 * The README's benchmark table, rendered from bench/results/latest.json: `npm run bench` rewrites it after every run,
 * and a test checks that the two agree, so the README never shows figures the results file does not hold.
 */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
  command: string;
  /** The figure the issue asks for, as text (`≤ 150 MB`), and whether this run met it. */
  target?: string;
  met?: boolean;
  /** The phase that measured the row; rows written before phases were recorded name it only in `command`. */
  phase?: string;
}

export interface BenchResults {
  at: string;
  cores: number;
  cpu: string;
  node: string;
  rows: BenchRow[];
}

export const phaseOrder = ['startup', 'floor', 'gateway', 'worker', 'waiting', 'store', 'sandbox-memory', 'webhooks'];

export const benchMarkers = { start: '<!-- bench:start (npm run bench, from bench/results/latest.json) -->', end: '<!-- bench:end -->' };

export function phaseOf(row: BenchRow): string {
  return row.phase ?? row.command.split('--only ')[1]?.split(',').at(-1) ?? '';
}

const formatValue = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 });
const cell = (text: string) => text.replaceAll('|', '\\|');

export function renderBenchTable(results: BenchResults): string {
  const ordered = [...results.rows].sort((a, b) => phaseOrder.indexOf(phaseOf(a)) - phaseOrder.indexOf(phaseOf(b)));
  const target = (row: BenchRow) => (row.target ? `${row.target} ${row.met ? '✓' : '✗'}` : '');
  const lines = ordered.map((row) => `| ${cell(row.name)} | ${formatValue(row.value)} ${cell(row.unit)} | ${cell(target(row))} | ${cell(row.note ?? '')} |`);
  const machine = `${results.cores} cores (${results.cpu}), Node ${results.node}, last written ${results.at.slice(0, 10)}`;
  return [`On ${machine}:`, '', '| figure | value | target | note |', '| --- | --- | --- | --- |', ...lines].join('\n');
}

export function withBenchTable(readme: string, results: BenchResults): string {
  return withGeneratedSection(readme, benchMarkers, renderBenchTable(results));
}
