import type { Generated, Selectable } from 'kysely';

/**
 * Table types (snake_case, as stored). Times are epoch milliseconds (bigint in PostgreSQL,
 * integer in SQLite) so ordering and arithmetic are the same on both databases. JSON is stored
 * as text; raw upstream records as compressed bytes.
 */
export interface TrialsTable {
  id: string;
  source: string;
  version: number;
  content_hash: string;
  title: string | null;
  title_en: string | null;
  status: string | null;
  phase: string | null;
  study_type: string | null;
  institution: string | null;
  department: string | null;
  enrollment: number | null;
  has_results: number | null;
  /** The registry's own last-update date, ISO 8601 text (sorts as text). */
  source_updated_at: string | null;
  /** JSON: `{ fields, sourceFields }` of the current version, ready to serve. */
  doc: string;
  first_seen_at: number;
  /** As at the trial's creation, never updated since migration 0007: `trial_seen` has the live value. */
  last_seen_at: number;
  last_changed_at: number;
  /** Sequence number of the trial's latest change event (orders the "recently changed" list). */
  change_seq: number;
  removed_at: number | null;
  /** As at the trial's creation, never updated since migration 0007: `trial_seen` has the live value. */
  last_seen_run_id: number | null;
}

/** When a harvest last saw each trial (kept apart from `trials`: marking a row seen stays cheap). */
export interface TrialSeenTable {
  trial_id: string;
  last_seen_at: number;
  /** The run that saw it last (a full listing's removal check compares it with its own id). */
  last_seen_run_id: number | null;
}

export interface TrialVersionsTable {
  trial_id: string;
  version: number;
  content_hash: string;
  observed_at: number;
  run_id: number | null;
  /** JSON array of `{path, old, new}`; null for the first version. */
  diff: string | null;
  source_updated_at: string | null;
  /** The upstream record as the registry sent it, gzip-compressed JSON. */
  raw: Buffer;
}

export interface ChangesTable {
  seq: Generated<number>;
  trial_id: string;
  source: string;
  version: number;
  kind: string;
  /** JSON array of changed paths (empty for created/removed/restored). */
  paths: string;
  occurred_at: number;
  run_id: number | null;
}

/** The classification of one change event (migration 0009); no row: not classified yet. */
export interface ChangeClassesTable {
  seq: number;
  /** 1 unless every change is registry bookkeeping. */
  material: number;
  /** JSON `{ changes, summary }` (src/domain/change.types.ts). */
  classification: string;
}

/** One change type of one event (migration 0009): the index `?type=` reads. */
export interface ChangeTypeRowsTable {
  type: string;
  seq: number;
}

/** One site of a trial (migration 0010), in the registry's order (`ordinal` from 0). */
/** The values the patient and coordinator filters read, one row per trial (migration 0014). */
export interface TrialFiltersTable {
  trial_id: string;
  /** Eligibility ages in years; null: no bound given (such trials match any age). */
  min_age_years: number | null;
  max_age_years: number | null;
  /** `ALL`, `FEMALE`, `MALE`, or null. */
  sex: string | null;
  /** `YYYY-MM-DD` (a month or year alone: its first day). */
  start_date: string | null;
  completion_date: string | null;
  /** ClinicalTrials.gov's lead sponsor class (`INDUSTRY`, `NIH`, `OTHER`, …). */
  sponsor_class: string | null;
}

export interface TrialSitesTable {
  trial_id: string;
  ordinal: number;
  name: string | null;
  city: string | null;
  /** `city` with ASCII letters lower-cased (what `near=<city>` looks up). */
  city_key: string | null;
  state: string | null;
  country: string | null;
  postal_code: string | null;
  status: string | null;
  /** Degrees; both or neither. */
  lat: number | null;
  lon: number | null;
}

/** Trials stored before migration 0010 whose sites the backfill has not written yet. */
export interface SiteBackfillTable {
  trial_id: string;
}

export interface HarvestRunsTable {
  id: Generated<number>;
  source: string;
  mode: string;
  trigger: string;
  status: string;
  holder: string | null;
  started_at: number;
  finished_at: number | null;
  heartbeat_at: number;
  fetched: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  removed: Generated<number>;
  restored: Generated<number>;
  skipped: Generated<number>;
  /** JSON array of `{id, reason}` (capped) for skipped records. */
  skipped_reasons: Generated<string>;
  error_code: string | null;
  error_message: string | null;
  /** JSON object: source-specific facts (file name, uddi, upstream total, …). */
  info: Generated<string>;
}

export interface SourceStateTable {
  source: string;
  /** JSON: the adapter's incremental state (cursor, last data timestamp, …). */
  state: string;
  last_success_at: number | null;
  last_run_id: number | null;
  updated_at: number;
}

export interface LeasesTable {
  name: string;
  holder: string;
  acquired_at: number;
  expires_at: number;
}

export interface TrialAliasesTable {
  alias: string;
  trial_id: string;
  recorded_at: number;
}

export interface TrialLinksTable {
  trial_id: string;
  linked_id: string;
  /** How the link was found, e.g. `secondary-id`. */
  relation: string;
  recorded_at: number;
}

/** Deployment-wide values, written once (`key` is a fixed name such as `cursor-secret`). */
export interface SettingsTable {
  key: string;
  value: string;
  created_at: number;
}

/** A webhook endpoint (migration 0011). */
export interface WebhookEndpointsTable {
  id: string;
  url: string;
  /** JSON: the /api/v1/changes query parameters as given. */
  filter: string;
  /** JSON array of event types. */
  types: string;
  description: string;
  /** Empty since migration 0015: the secrets are in webhook_secrets (kept, not dropped: see 0015). */
  secret: string;
  paused: number;
  disabled_at: number | null;
  disabled_reason: string | null;
  /** The change-feed seq up to which the endpoint is done (delivered, finally failed or not wanted). */
  position: number;
  failing_since: number | null;
  delivered_count: Generated<number>;
  failed_count: Generated<number>;
  failed_attempts: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** One message to one endpoint, with its attempts so far (migration 0011). */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: string;
  message_id: string;
  trigger: string;
  event_type: string;
  change_seq: number | null;
  status: string;
  attempts: Generated<number>;
  response_code: number | null;
  latency_ms: number | null;
  error: string | null;
  next_attempt_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One signing secret of a webhook endpoint (migration 0015). */
export interface WebhookSecretsTable {
  id: Generated<number>;
  endpoint_id: string;
  secret: string;
  created_at: number;
  /** Epoch ms after which it no longer signs; null for the current secret. */
  expires_at: number | null;
}

export interface Database {
  trials: TrialsTable;
  trial_versions: TrialVersionsTable;
  changes: ChangesTable;
  change_classes: ChangeClassesTable;
  change_type_rows: ChangeTypeRowsTable;
  harvest_runs: HarvestRunsTable;
  source_state: SourceStateTable;
  leases: LeasesTable;
  trial_aliases: TrialAliasesTable;
  trial_links: TrialLinksTable;
  trial_seen: TrialSeenTable;
  settings: SettingsTable;
  trial_sites: TrialSitesTable;
  trial_filters: TrialFiltersTable;
  site_backfill: SiteBackfillTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_secrets: WebhookSecretsTable;
}

export type TrialRow = Selectable<TrialsTable>;
export type TrialVersionRow = Selectable<TrialVersionsTable>;
export type ChangeRow = Selectable<ChangesTable>;
export type HarvestRunRow = Selectable<HarvestRunsTable>;
export type SourceStateRow = Selectable<SourceStateTable>;
