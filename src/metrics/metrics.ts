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
  /** Per webhook endpoint: deliveries that succeeded, failed for good, failed attempts, and lag. */
  webhooks?(): Promise<
    { endpoint: string; delivered: number; failed: number; failedAttempts: number; lag: number }[]
  >;
}

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly harvestRuns: Counter<'source' | 'status'>;
  readonly upstreamRequests: Counter<'source' | 'outcome'>;
  readonly records: Gauge<'source' | 'state'>;
  readonly lastSuccessAge: Gauge<'source'>;
  readonly databaseUp: Gauge;
  readonly webhookDeliveries: Gauge<'endpoint' | 'outcome'>;
  readonly webhookLag: Gauge<'endpoint'>;
  readonly #now: () => number;
  readonly #snapshotTimeoutMs: number;
  #snapshot: MetricsSnapshotSource | undefined;

  /**
   * `snapshotTimeoutMs`: how long a scrape waits for the database-derived gauges (default 1000 ms);
   * past it, or when the database fails, they are left out and `trialwatch_database_up` is 0.
   */
  constructor(options: { defaultMetrics?: boolean; now?: () => number; snapshotTimeoutMs?: number } = {}) {
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
    this.records = new Gauge({
      name: 'trialwatch_records',
      help: 'Trials in the database by source and state (active, removed)',
      labelNames: ['source', 'state'],
      registers: [this.registry],
    });
    this.lastSuccessAge = new Gauge({
      name: 'trialwatch_seconds_since_last_successful_harvest',
      help: 'Seconds since the last successful harvest of each source',
      labelNames: ['source'],
      registers: [this.registry],
    });
    this.databaseUp = new Gauge({
      name: 'trialwatch_database_up',
      help: 'Whether the database answered the last scrape in time (1) or not (0)',
      registers: [this.registry],
    });
    this.webhookDeliveries = new Gauge({
      name: 'trialwatch_webhook_deliveries',
      help: 'Webhook deliveries per endpoint, as counted in the database: succeeded, failed (for good), failed_attempts',
      labelNames: ['endpoint', 'outcome'],
      registers: [this.registry],
    });
    this.webhookLag = new Gauge({
      name: 'trialwatch_webhook_lag_events',
      help: "Change-feed events after each webhook endpoint's position (head seq − position)",
      labelNames: ['endpoint'],
      registers: [this.registry],
    });
    this.#now = now;
    this.#snapshotTimeoutMs = options.snapshotTimeoutMs ?? 1_000;
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

  /**
   * The scrape. The database-derived gauges are read first, within `snapshotTimeoutMs`: when the
   * database is down the scrape still answers at once with what this process knows (its requests,
   * runs, upstream calls, memory) and `trialwatch_database_up 0` — monitoring must not go blind
   * exactly when the database does. Values it cannot read now are left out rather than shown stale.
   */
  async render(): Promise<{ contentType: string; body: string }> {
    await this.#readSnapshot();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  async #readSnapshot(): Promise<void> {
    const from = this.#snapshot;
    if (from === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error('the database did not answer in time')),
        this.#snapshotTimeoutMs,
      );
    });
    const reads = Promise.all([
      from.recordCounts(),
      from.lastSuccess(),
      from.webhooks === undefined ? Promise.resolve([]) : from.webhooks(),
    ]);
    // The reads may still fail after the deadline won: that rejection is expected, not unhandled.
    reads.catch(() => undefined);
    this.records.reset();
    this.lastSuccessAge.reset();
    this.webhookDeliveries.reset();
    this.webhookLag.reset();
    try {
      const [counts, successes, webhooks] = await Promise.race([reads, deadline]);
      for (const row of webhooks) {
        this.webhookDeliveries.set({ endpoint: row.endpoint, outcome: 'succeeded' }, row.delivered);
        this.webhookDeliveries.set({ endpoint: row.endpoint, outcome: 'failed' }, row.failed);
        this.webhookDeliveries.set(
          { endpoint: row.endpoint, outcome: 'failed_attempts' },
          row.failedAttempts,
        );
        this.webhookLag.set({ endpoint: row.endpoint }, row.lag);
      }
      for (const row of counts) this.records.set({ source: row.source, state: row.state }, row.count);
      const now = this.#now();
      for (const row of successes)
        this.lastSuccessAge.set({ source: row.source }, Math.max(0, (now - row.at) / 1000));
      this.databaseUp.set(1);
    } catch {
      this.databaseUp.set(0);
    } finally {
      clearTimeout(timer);
    }
  }
}
