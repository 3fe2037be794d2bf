/**
 * The response objects the OpenAPI document lists once, in `components.schemas`, by a stable name.
 * The schema modules stay plain TypeBox (their static types and `Value` checks need no reference
 * resolution); here each shared schema is registered with `app.addSchema` under its name, and
 * every place a route's response schema holds that very schema object is replaced by a `$ref` to
 * it. fast-json-stringify resolves those references from the shared schemas, so answers are
 * serialised exactly as from the inline schemas; @fastify/swagger turns the shared schemas into
 * `#/components/schemas/<name>`.
 */
import type { FastifyInstance } from 'fastify';
import type { TSchema } from 'typebox';
import { StartedHarvestSchema } from './admin.schema.js';
import { ChangeEventSchema, ChangeListSchema } from './change.schema.js';
import { ProblemSchema } from './common.schema.js';
import { CompatListSchema, CompatRecordSchema, CompatSearchSchema } from './compat.schema.js';
import { FacetListSchema } from './facet.schema.js';
import { HarvestListSchema, HarvestRunSchema } from './harvest.schema.js';
import { HealthSchema } from './health.schema.js';
import { SourceListSchema, SourceSchema } from './source.schema.js';
import {
  TrialFieldsSchema,
  TrialLinkSchema,
  TrialListSchema,
  TrialSchema,
  TrialVersionListSchema,
  TrialVersionSchema,
  TrialVersionSummarySchema,
} from './trial.schema.js';
import { CodeLabelsSchema, LocalizedSchema, TypedChangeSchema } from './typed-change.schema.js';
import {
  CreatedWebhookSchema,
  DeliveryListSchema,
  DeliverySchema,
  WebhookListSchema,
  WebhookSchema,
} from './webhook.schema.js';

/** Component name → schema. The names are part of the contract (generated clients use them). */
export const SHARED_SCHEMAS: Readonly<Record<string, TSchema>> = {
  Error: ProblemSchema,
  Trial: TrialSchema,
  TrialFields: TrialFieldsSchema,
  TrialLink: TrialLinkSchema,
  CodeLabels: CodeLabelsSchema,
  LocalizedText: LocalizedSchema,
  TrialPage: TrialListSchema,
  TrialVersionSummary: TrialVersionSummarySchema,
  TrialVersionList: TrialVersionListSchema,
  TrialVersion: TrialVersionSchema,
  TypedChange: TypedChangeSchema,
  ChangeEvent: ChangeEventSchema,
  ChangePage: ChangeListSchema,
  FacetCounts: FacetListSchema,
  Source: SourceSchema,
  SourceList: SourceListSchema,
  HarvestRun: HarvestRunSchema,
  HarvestPage: HarvestListSchema,
  StartedHarvest: StartedHarvestSchema,
  Webhook: WebhookSchema,
  CreatedWebhook: CreatedWebhookSchema,
  WebhookList: WebhookListSchema,
  Delivery: DeliverySchema,
  DeliveryPage: DeliveryListSchema,
  CompatRecord: CompatRecordSchema,
  CompatSearchResult: CompatSearchSchema,
  CompatList: CompatListSchema,
  Health: HealthSchema,
};

const NAME_OF = new Map<unknown, string>(
  Object.entries(SHARED_SCHEMAS).map(([name, schema]) => [schema, name]),
);

/**
 * A copy of `value` with every shared schema in it replaced by `{ $ref: '<name>#' }` (`own`, the
 * shared schema being registered, is kept and only its inside rewritten).
 */
export function withSharedRefs(value: unknown, own?: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => withSharedRefs(item));
  if (typeof value !== 'object' || value === null) return value;
  const name = NAME_OF.get(value);
  if (name !== undefined && value !== own) return { $ref: `${name}#` };
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSharedRefs(item)]));
}

/** Registers every shared schema (before the routes, which refer to them). */
export function addSharedSchemas(app: FastifyInstance): void {
  for (const [name, schema] of Object.entries(SHARED_SCHEMAS)) {
    app.addSchema({ ...(withSharedRefs(schema, schema) as object), $id: name });
  }
}
