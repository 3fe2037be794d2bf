/**
 * Prometheus metrics for one process: HTTP request durations by route and status, harvest runs by
 * source and outcome, upstream requests and retries, and — read from the database at scrape time,
 * so every process behind a load balancer reports the same — records by source and state and the
 * seconds since each source's last successful harvest.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HarvestRun } from '../domain/trial.types.js';
import type { UpstreamObserver } from '../sources/http/upstream-client.js';

export interface MetricsSnapshotSource {
  /** Trials per source and state (`active` or `removed`). */
  recordCounts(): Promise<{ source: string; state: 'active' | 'removed'; count: number }[]>;
  /** Epoch ms of the last successful harvest per source. */
  lastSuccess(): Promise<{ source: string; at: number }[]>;
}

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly harvestRuns: Counter<'source' | 'status'>;
  readonly upstreamRequests: Counter<'source' | 'outcome'>;
  readonly records: Gauge<'source' | 'state'>;
  readonly lastSuccessAge: Gauge<'source'>;
  #snapshot: MetricsSnapshotSource | undefined;

  constructor(options: { defaultMetrics?: boolean; now?: () => number } = {}) {
    const now = options.now ?? Date.now;
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'trialwatch_' });
    this.httpDuration = new Histogram({
      name: 'trialwatch_http_request_duration_seconds',
      help: 'HTTP request durations by route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.harvestRuns = new Counter({
      name: 'trialwatch_harvest_runs_total',
      help: 'Harvest runs finished by this process, by source and outcome',
      labelNames: ['source', 'status'],
      registers: [this.registry],
    });
    this.upstreamRequests = new Counter({
      name: 'trialwatch_upstream_requests_total',
      help: 'Requests to registries by source and outcome (ok, retry, error)',
      labelNames: ['source', 'outcome'],
      registers: [this.registry],
    });
    // collect() runs with `this` bound to the gauge; the snapshot source is reached through a closure.
    const snapshot = () => this.#snapshot;
    this.records = new Gauge({
      name: 'trialwatch_records',
      help: 'Trials in the database by source and state (active, removed)',
      labelNames: ['source', 'state'],
      registers: [this.registry],
      async collect() {
        const from = snapshot();
        if (from === undefined) return;
        this.reset();
        for (const row of await from.recordCounts())
          this.set({ source: row.source, state: row.state }, row.count);
      },
    });
    this.lastSuccessAge = new Gauge({
      name: 'trialwatch_seconds_since_last_successful_harvest',
      help: 'Seconds since the last successful harvest of each source',
      labelNames: ['source'],
      registers: [this.registry],
      async collect() {
        const from = snapshot();
        if (from === undefined) return;
        this.reset();
        for (const row of await from.lastSuccess()) {
          this.set({ source: row.source }, Math.max(0, (now() - row.at) / 1000));
        }
      },
    });
  }

  /** Where the database-derived gauges read from (set once the store is open). */
  useSnapshot(source: MetricsSnapshotSource): void {
    this.#snapshot = source;
  }

  /** Hooks for the upstream client: one count per attempt. */
  upstreamObserver(): UpstreamObserver {
    return { onAttempt: (source, outcome) => this.upstreamRequests.inc({ source, outcome }) };
  }

  recordRun(run: Pick<HarvestRun, 'source' | 'status'>): void {
    this.harvestRuns.inc({ source: run.source, status: run.status });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
