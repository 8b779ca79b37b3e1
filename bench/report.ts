// The benchmark's table and its targets. A missed target is reported, never fatal.
import type { LoadResult } from './load.js';

export interface RouteFigures {
  route: string;
  kassa: LoadResult;
  bare: LoadResult;
  /** Kassa's req/s over bare's that this route should reach. */
  target?: number;
  /** Requests per flow: a flow of several requests is also reported in flows per second. */
  steps?: number;
  /** Flows per second Kassa should complete. */
  flowsTarget?: number;
  p99TargetMs?: number;
}

export interface Target {
  name: string;
  met: boolean;
}

const P99_TARGET_MS = 10;
export const RSS_TARGET_MB = 200;

export function printLoadTable(rows: RouteFigures[]): Target[] {
  const lines = [
    ['route', 'server', 'req/s', 'p50 ms', 'p99 ms', 'cpu µs/req', 'cpu %', 'requests', 'non2xx', 'errors', 'timeouts'],
  ];
  for (const row of rows) {
    for (const [server, r] of [
      ['kassa', row.kassa],
      ['bare', row.bare],
    ] as const) {
      lines.push([
        row.route,
        server,
        r.reqPerSec.toFixed(0),
        String(r.p50),
        String(r.p99),
        r.cpuPerRequest.toFixed(0),
        ((r.cpuPerRequest * r.reqPerSec) / 10_000).toFixed(0),
        String(r.requests),
        String(r.non2xx),
        String(r.errors),
        String(r.timeouts),
      ]);
    }
  }
  printColumns(lines);
  console.log(
    "(cpu: the server process's user + system time; 100% is one core. autocannon shares the machine, so a server far below 100% is waiting on the load generator.)\n",
  );

  const targets: Target[] = [];
  for (const row of rows) {
    const ratio = row.kassa.reqPerSec / row.bare.reqPerSec;
    const ratioText = `${row.route}: req/s kassa/bare = ${ratio.toFixed(2)}`;
    if (row.target !== undefined) targets.push(report(`${ratioText} (target >= ${row.target})`, ratio >= row.target));
    else console.log(`      ${ratioText}`);
    if (row.steps && row.steps > 1) {
      const flows = row.kassa.reqPerSec / row.steps;
      const bareFlows = row.bare.reqPerSec / row.steps;
      const text = `${row.route}: ${flows.toFixed(0)} flows/s (bare ${bareFlows.toFixed(0)} flows/s)`;
      if (row.flowsTarget !== undefined)
        targets.push(report(`${text} (target >= ${row.flowsTarget})`, flows >= row.flowsTarget));
      else console.log(`      ${text}`);
    }
    const p99Target = row.p99TargetMs ?? P99_TARGET_MS;
    targets.push(
      report(
        `${row.route}: kassa p99 per request = ${row.kassa.p99} ms (target < ${p99Target} ms)`,
        row.kassa.p99 < p99Target,
      ),
    );
  }
  return targets;
}

export function printMemory(customers: number, rssKb: number, peakKb: number, startKb: number): Target {
  const mb = (kb: number) => (kb / 1024).toFixed(1);
  console.log(
    `Kassa RSS at start: ${mb(startKb)} MB; after ${customers} customers: ${mb(rssKb)} MB (peak ${mb(peakKb)} MB)`,
  );
  return report(
    `RSS after ${customers} customers = ${mb(rssKb)} MB (target < ${RSS_TARGET_MB} MB)`,
    rssKb / 1024 < RSS_TARGET_MB,
  );
}

export function report(name: string, met: boolean): Target {
  console.log(`${met ? 'PASS' : 'MISS'}  ${name}`);
  return { name, met };
}

function printColumns(lines: string[][]): void {
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const line of lines)
    console.log(line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}
