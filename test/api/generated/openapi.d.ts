export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The process is alive
         * @description Answers without touching the database.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Ready to serve
         * @description The database answers within a second and every migration is applied; 503 NOT_READY (with Retry-After) otherwise.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Prometheus text format: HTTP request durations by route and status, harvest runs by source and outcome, records by source and state, seconds since the last successful harvest, upstream requests and retries, and whether the database answers (`trialwatch_database_up`). Answers while the database is down, without the values read from it.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trials/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One trial by its registry id
         * @description The common fields, the source's own fields, the times, and `links`: the same study in other registries (a record that lists the other's id among its secondary ids, in either direction). An old id that the registry merged into another record (ClinicalTrials.gov `nctIdAliases`) answers with the current trial, with `resolvedFrom` set to the id asked for and `Content-Location` naming the current one. `ETag` follows the version, removal and links; send it back in `If-None-Match` for a 304.
         */
        get: operations["getTrial"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List, filter and export trials
         * @description Keyset pages, most recently changed first by default: follow `nextCursor` until it is null. A walk is pinned to the change feed when its first page is read: every trial that existed then comes exactly once, however harvests change trials meanwhile (trials created after the first page are left out; start a new walk to see them). Field filters apply to current content; the time window, removal and order are those of the first page. `updatedWithin=7d` is the brief's "changed within the last week". With `format=csv|ndjson` (or `Accept: text/csv` / `application/x-ndjson`) the whole filtered result is streamed (CSV with a UTF-8 BOM); a cursor resumes an export, `limit` caps it.
         */
        get: operations["listTrials"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trials/{id}/sites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sites of a trial, with their status (and distance from `near`)
         * @description Every site (location) of the trial's current version as the registry lists it, with its own recruitment status and coordinates where the registry gives them (ClinicalTrials.gov does; the Korean registries do not). With `near`, each site with coordinates carries `distanceKm` from that centre. A merged (old) id answers for the trial it was merged into, as GET /api/v1/trials/{id}.
         */
        get: operations["listTrialSites"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trials/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every version of a trial, with field-level diffs
         * @description A merged (old) id answers with the versions of the trial it was merged into, with `resolvedFrom` and `Content-Location`, as GET /api/v1/trials/{id}.
         */
        get: operations["listTrialVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trials/{id}/versions/{n}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A trial as it was at version n
         * @description The upstream record of that version as the registry sent it (`raw`), its diff, and its fields: stored for the current version, mapped from `raw` by the source's mapper for older ones (null when the source has none). A merged (old) id follows to the trial it was merged into (`resolvedFrom`, `Content-Location`).
         */
        get: operations["getTrialVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/facets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Counts per value of a field, over the trials a search selects
         * @description Takes the filters and `q` of GET /api/v1/trials (all applied, the counted field’s own filter too) and counts the current trials (removed ones only with `includeRemoved`) per value of `field`, most frequent first, `limit` values at most. `total` is the number of trials selected. The codes of `status`, `phase` and `studyType` come with their English and Korean `label`.
         */
        get: operations["getFacets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/places": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Places of the mirror’s sites, by the start of their city’s name (for a `near` box)
         * @description The cities (one per state and country) of the sites with coordinates whose name starts with `q`, ASCII case ignored, the most trials first: each `name` is a value of `near` (GET /api/v1/trials) that stands for that place alone, with the mean position of its sites. The Korean registries give no coordinates, so their sites are not places here.
         */
        get: operations["listPlaces"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The change feed
         * @description Created, updated, removed and restored events in feed order, oldest first. Keep `nextCursor` and ask again later to get only what happened since; without a cursor the feed starts at the beginning. Each event says what it changed (`changes`, typed, with English and Korean summaries) and whether that matters to a reader (`material`: false for registry bookkeeping only); `type`, `material` and `trial` select events. Change types: status, enrollment, dates, sites, results, eligibility, title, design, sponsor, conditions, interventions, outcomes, contacts, ids, other, registry. An unknown type is a 400 naming the allowed ones. With `format=csv|ndjson` (or `Accept: text/csv` / `application/x-ndjson`) every matching event after the cursor is streamed in feed order (CSV with a UTF-8 BOM, the typed changes as JSON in its `changes` column); `limit` then caps the export (default: all). With `format=atom|jsonfeed|rss` (or `Accept: application/atom+xml`, `application/feed+json`, `application/rss+xml`) the same query is a feed to follow: the newest matching events first, 50 per page (`limit` up to 200), older pages by the feed's own `next` link (RFC 5005; `next_url` in JSON Feed; its cursor is the feed's, not `nextCursor`). One entry per event: a permanent id (`tag:trialwatch,2026:changes/{seq}/{trialId}`, the same in every format), the trial's title and the change's summary as its title, the before/after values as plain text, the time it was recorded, a link to the trial on the web page and one to the registry's page (ClinicalTrials.gov; the WHO ICTRP page for CRIS; none for kr-icreat). `ETag` and `Last-Modified`: send them back (`If-None-Match`, `If-Modified-Since`) for a 304 while nothing changed.
         */
        get: operations["listChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every registered source
         * @description Enabled or not, configured or what is missing (setting names only), trial counts, the last run and its outcome, the last success and the next scheduled run.
         */
        get: operations["listSources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One source */
        get: operations["getSource"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/harvests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recent harvest runs
         * @description Runs with their counts, skipped records and errors, newest first, in pages.
         */
        get: operations["listHarvests"];
        put?: never;
        /**
         * Start a harvest
         * @description Starts a harvest of one source in the background and answers 202 with its run id. 409 while that source is harvesting (in any process sharing the database), and when it is not enabled (SOURCES) or not configured (no run is recorded then).
         */
        post: operations["startHarvest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/harvests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One harvest run
         * @description A run with its counts, skipped records and error; `running` until it ends.
         */
        get: operations["getHarvest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Webhook endpoints
         * @description Every endpoint with its state, position and counts (never its secret).
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Create a webhook endpoint
         * @description The endpoint gets every change event recorded from now on that `filter` (the parameters of `GET /api/v1/changes`) and `types` match, in feed order, at least once, signed as Standard Webhooks specifies (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, space-separated, one per signing secret: two during the overlap of a rotation, see `POST /api/v1/webhooks/{id}/secret/rotate`). Body: `{type, timestamp, data}` with `data` the change event as `/api/v1/changes` shows it. The answer holds the signing secret, shown only here.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One webhook endpoint
         * @description Its state, position, lag and counts (never its secret).
         */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Deletes the endpoint and its delivery log; nothing more is sent to it.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Update, pause or resume a webhook endpoint
         * @description Changes the fields given. `paused: true` stops deliveries; `paused: false` resumes them and enables an endpoint that was disabled (410 Gone, failing too long), from where it stopped.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A webhook endpoint's delivery log
         * @description One entry per message (and per replay or ping), newest first: status, attempts, the last response code, latency and error, the next attempt. The log is bounded: entries older than WEBHOOK_LOG_MAX_AGE_MS (default 30 days) and beyond the newest WEBHOOK_LOG_MAX_ROWS_PER_ENDPOINT (default 10,000) are pruned, pending ones never; a pruned delivery cannot be replayed.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one delivery again
         * @description Queues the message again with the same `webhook-id` (the receiver deduplicates by it); it does not move the endpoint in the feed. 202 with the new delivery.
         */
        post: operations["replayWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test message
         * @description Queues a signed `webhook.ping` message (`data: {endpointId, description}`) to the endpoint; its result shows in the delivery log. 202 with the delivery.
         */
        post: operations["pingWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a webhook endpoint's signing secret
         * @description Makes a new signing secret, shown only in this answer. Deliveries are signed with it from now on, and with the previous secret as well until `previousSecretsExpireAt` (WEBHOOK_SECRET_OVERLAP_MS, default 24 h): `webhook-signature` then lists both (`v1,<new> v1,<old>`, as Standard Webhooks specifies), so a receiver that still holds the old secret keeps verifying while it switches. After the overlap only the new secret signs and the old one is deleted. Rotating again within an overlap keeps every previous secret until the end of the new overlap at the latest.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/search/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The brief's read-one route
         * @description One record by its number (과제번호), in the brief's envelope. 404 `{"MESSAGE":"NOT LIST"}` when unknown.
         */
        get: operations["compatGetTrial"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The brief's changed-within-a-week list
         * @description Records changed within the last 7 days, most recent change first, paged by `skip` and `limit` (default 100). 404 `{"MESSAGE":"NO DATA"}` when the page is empty.
         */
        get: operations["compatListChanged"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description RFC 9457 problem details */
        Error: {
            /** @description A URI naming the kind of problem */
            type: string;
            title: string;
            status: number;
            detail: string;
            /**
             * @description Stable error code
             * @enum {string}
             */
            code: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "INVALID_CURSOR" | "LIMIT_TOO_LARGE" | "INVALID_NEAR" | "INVALID_RADIUS" | "UNKNOWN_CITY" | "AMBIGUOUS_CITY" | "UNAUTHORIZED" | "FORBIDDEN" | "ADMIN_DISABLED" | "TRIAL_NOT_FOUND" | "VERSION_NOT_FOUND" | "SOURCE_NOT_FOUND" | "RUN_NOT_FOUND" | "ROUTE_NOT_FOUND" | "WEBHOOK_NOT_FOUND" | "DELIVERY_NOT_FOUND" | "WEBHOOK_URL_FORBIDDEN" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "HARVEST_IN_PROGRESS" | "SOURCE_NOT_CONFIGURED" | "PAYLOAD_TOO_LARGE" | "MALFORMED_REQUEST" | "REQUEST_INCOMPLETE" | "HEADERS_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "CONFIG_INVALID" | "IMPORT_UNREADABLE" | "IMPORT_TOO_LARGE" | "UPSTREAM_KEY_MISSING" | "UPSTREAM_KEY_INVALID" | "UPSTREAM_KEY_UNREGISTERED" | "UPSTREAM_QUOTA_EXCEEDED" | "UPSTREAM_SERVICE_ENDED" | "UPSTREAM_SERVICE_UNKNOWN" | "UPSTREAM_REJECTED" | "UPSTREAM_HTTP_ERROR" | "UPSTREAM_BAD_RESPONSE" | "UPSTREAM_TIMEOUT" | "UPSTREAM_NETWORK" | "SCHEMA_DRIFT" | "HARVEST_INCOMPLETE" | "HARVEST_INTERRUPTED" | "HARVEST_PROCESS_DIED" | "DATABASE_UNAVAILABLE" | "DATABASE_FULL" | "DATABASE_NOT_TRIALWATCH" | "NOT_READY" | "REQUEST_TIMEOUT" | "INTERNAL";
            /** @description The request path */
            instance?: string;
            /** @description Safe facts about the error (e.g. the parameter at fault) */
            details?: {
                [key: string]: unknown;
            };
        };
        Trial: {
            id: string;
            source: string;
            /** @description The record's page on its registry: ClinicalTrials.gov's study page, CRIS's search by registration number (its record pages are addressed by an internal number the Open API does not give), or the data.go.kr dataset page for kr-icreat (no page per record) */
            registryUrl: string | null;
            /** @description Current version number (1, 2, …) */
            version: number;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            firstSeenAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            lastSeenAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            lastChangedAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            removedAt: string | null;
            /** @description The registry's own last-update date, where published */
            sourceUpdatedAt: string | null;
            fields: components["schemas"]["TrialFields"];
            /** @description The source's own fields: upstream values as given, plus normalised companions */
            sourceFields: {
                [key: string]: unknown;
            };
            labels: components["schemas"]["CodeLabels"];
            /** @description The upstream record as the registry sent it (`include=raw`) */
            raw?: unknown;
            /** @description The same study in other registries, found through secondary ids in either record (one trial only, not in lists) */
            links?: components["schemas"]["TrialLink"][];
            /** @description Present when the id asked for is an old id the registry merged into this trial (ClinicalTrials.gov `nctIdAliases`): that id. The `Content-Location` header then names the current one. */
            resolvedFrom?: string;
            /** @description With `near`: the closest of its sites that match (list items and exports only) */
            nearestSite?: {
                name: string | null;
                city: string | null;
                country: string | null;
                /** @description Great-circle distance from the `near` centre, km */
                distanceKm: number;
            };
            /** @description The latest change event of the trial, in short (list items and exports only) */
            lastChange?: {
                /** @description Its position in the change feed */
                seq: number;
                /** @enum {string} */
                kind: "created" | "updated" | "removed" | "restored";
                /**
                 * Format: date-time
                 * @description ISO 8601 time (UTC)
                 */
                occurredAt: string;
                /** @description The types of its changes (empty for created, removed and restored) */
                types: ("status" | "enrollment" | "dates" | "sites" | "results" | "eligibility" | "title" | "design" | "sponsor" | "conditions" | "interventions" | "outcomes" | "contacts" | "ids" | "other" | "registry")[];
                /** @description False when every change is registry bookkeeping; null: not classified yet */
                material: boolean | null;
                summary: components["schemas"]["LocalizedText"] | (never | null);
            };
        };
        /** @description The common trial model every source maps to */
        TrialFields: {
            title: string | null;
            titleEn: string | null;
            officialTitle: string | null;
            acronym: string | null;
            /** @description Upper-case code, e.g. RECRUITING */
            status: string | null;
            /** @description PHASE1…PHASE4, EARLY_PHASE1, NA, or a design code */
            phase: string | null;
            /** @description OBSERVATIONAL, INTERVENTIONAL, … */
            studyType: string | null;
            institution: string | null;
            department: string | null;
            conditions: string[];
            keywords: string[];
            interventions: {
                type: string | null;
                name: string;
            }[];
            /** @description Target or actual participants */
            enrollment: number | null;
            countries: string[];
            hasResults: boolean | null;
            secondaryIds: {
                id: string;
                type: string | null;
            }[];
            /** @description The registry's own last-update date (ISO 8601) */
            sourceUpdatedAt: string | null;
        };
        TrialLink: {
            /** @description The other registry's id of the same study */
            id: string;
            /** @description Its source (from the mirror, or from the id format) */
            source: string | null;
            /** @description `secondary-id`: this trial lists the other among its secondary ids; `named-by`: the other trial lists this one */
            relation: string;
            /** @description Whether the other trial is in this mirror */
            mirrored: boolean;
        };
        /** @description English and Korean labels of the status, phase and study-type codes */
        CodeLabels: {
            /** @description Of `fields.status`, e.g. `{"en":"Recruiting","ko":"모집 중"}` */
            status: {
                en: string;
                ko: string;
            } | null;
            /** @description Of `fields.phase`, e.g. `{"en":"Phase 1/2","ko":"1/2상"}` */
            phase: {
                en: string;
                ko: string;
            } | null;
            /** @description Of `fields.studyType` */
            studyType: {
                en: string;
                ko: string;
            } | null;
        };
        /** @description In English and Korean */
        LocalizedText: {
            en: string;
            ko: string;
        };
        TrialPage: {
            items: components["schemas"]["Trial"][];
            /** @description Pass as `cursor` for the next page; null on the last */
            nextCursor: string | null;
            /** @description Rows in the whole walk (`count=true`) */
            total?: number;
        };
        TrialVersionSummary: {
            version: number;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            observedAt: string;
            /**
             * @description How the version came about
             * @enum {string}
             */
            kind: "created" | "updated" | "restored";
            /** @description SHA-256 of the canonical upstream record */
            contentHash: string;
            sourceUpdatedAt: string | null;
            runId: number | null;
            /** @description Against the previous version; null for version 1 */
            diff: {
                /** @description Dotted path in the upstream record, e.g. `protocolSection.statusModule` */
                path: string;
                /** @description Absent when the path did not exist before */
                old?: unknown;
                /** @description Absent when the path no longer exists */
                new?: unknown;
            }[] | null;
            /** @description Change events pointing at this version */
            events: {
                seq: number;
                /** @enum {string} */
                kind: "created" | "updated" | "removed" | "restored";
                /**
                 * Format: date-time
                 * @description ISO 8601 time (UTC)
                 */
                occurredAt: string;
            }[];
            /** @description What an update changed, typed (empty for created, removed and restored) */
            changes: components["schemas"]["TypedChange"][];
            /** @description False when every change is registry bookkeeping; null: not classified yet */
            material: boolean | null;
            summary: components["schemas"]["LocalizedText"] | (never | null);
        };
        TrialVersionList: {
            trialId: string;
            source: string;
            currentVersion: number;
            items: components["schemas"]["TrialVersionSummary"][];
            /** @description Present when the id asked for is an old id the registry merged into this trial (ClinicalTrials.gov `nctIdAliases`): that id. The `Content-Location` header then names the current one. */
            resolvedFrom?: string;
        };
        TrialVersion: {
            trialId: string;
            source: string;
            /** @description Whether this is the current version */
            current: boolean;
            version: number;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            observedAt: string;
            /**
             * @description How the version came about
             * @enum {string}
             */
            kind: "created" | "updated" | "restored";
            /** @description SHA-256 of the canonical upstream record */
            contentHash: string;
            sourceUpdatedAt: string | null;
            runId: number | null;
            /** @description Against the previous version; null for version 1 */
            diff: {
                /** @description Dotted path in the upstream record, e.g. `protocolSection.statusModule` */
                path: string;
                /** @description Absent when the path did not exist before */
                old?: unknown;
                /** @description Absent when the path no longer exists */
                new?: unknown;
            }[] | null;
            /** @description Change events pointing at this version */
            events: {
                seq: number;
                /** @enum {string} */
                kind: "created" | "updated" | "removed" | "restored";
                /**
                 * Format: date-time
                 * @description ISO 8601 time (UTC)
                 */
                occurredAt: string;
            }[];
            /** @description What an update changed, typed (empty for created, removed and restored) */
            changes: components["schemas"]["TypedChange"][];
            /** @description False when every change is registry bookkeeping; null: not classified yet */
            material: boolean | null;
            summary: components["schemas"]["LocalizedText"] | (never | null);
            fields: components["schemas"]["TrialFields"] | (never | null);
            /** @description The source's own fields of this version */
            sourceFields: {
                [key: string]: unknown;
            } | null;
            labels: components["schemas"]["CodeLabels"] | (never | null);
            /** @description The upstream record of this version as the registry sent it */
            raw: unknown;
            /** @description Present when the id asked for is an old id the registry merged into this trial (ClinicalTrials.gov `nctIdAliases`): that id. The `Content-Location` header then names the current one. */
            resolvedFrom?: string;
        };
        TypedChange: {
            /**
             * @description `registry` is bookkeeping only (last-update dates, derived MeSH data); `other` any content change no other type covers
             * @enum {string}
             */
            type: "status" | "enrollment" | "dates" | "sites" | "results" | "eligibility" | "title" | "design" | "sponsor" | "conditions" | "interventions" | "outcomes" | "contacts" | "ids" | "other" | "registry";
            /** @description Which field of the type (`status`, `completion`, `phase`, …) */
            field: string;
            /** @description The value before: a code, a count, or an object such as `{count, type}` */
            from: unknown;
            /** @description The value after */
            to: unknown;
            /** @description Status changes (`field` `status`) and design changes of `phase` or `studyType`: the English and Korean label of the code in `from` (null when there was none) */
            fromLabel?: {
                en: string;
                ko: string;
            } | null;
            /** @description As `fromLabel`, of the code in `to` */
            toLabel?: {
                en: string;
                ko: string;
            } | null;
            /** @description List types: names added */
            added?: string[];
            /** @description List types: names removed */
            removed?: string[];
            /** @description ClinicalTrials.gov's reason, with a status change */
            whyStopped?: string;
            summary: components["schemas"]["LocalizedText"];
        };
        ChangeEvent: {
            /** @description Position in the feed (increasing, may have gaps) */
            seq: number;
            trialId: string;
            source: string;
            /** @description The version the trial has after this event */
            version: number;
            /** @enum {string} */
            kind: "created" | "updated" | "removed" | "restored";
            /** @description Changed paths (updated events) */
            paths: string[];
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            occurredAt: string;
            /** @description The harvest run that recorded it */
            runId: number | null;
            /** @description What an update changed, typed (empty for created, removed and restored) */
            changes: components["schemas"]["TypedChange"][];
            /** @description False when every change is registry bookkeeping; null: not classified yet */
            material: boolean | null;
            summary: components["schemas"]["LocalizedText"] | (never | null);
        };
        ChangePage: {
            items: components["schemas"]["ChangeEvent"][];
            /** @description Resume from here, now or later: always present, so a client can poll with its last cursor */
            nextCursor: string;
            /** @description Whether more events are already waiting */
            hasMore: boolean;
        };
        FacetCounts: {
            /** @description The field counted */
            field: string;
            /** @description The most frequent values first (ties by value); trials without a value are not counted */
            items: {
                /** @description A value of the field (conditions and countries that differ only in ASCII case count as one); `hasResults` and `recruiting`: `true` or `false` */
                value: string;
                /** @description Trials with this value */
                count: number;
                /** @description `status`, `phase` and `studyType`: the English and Korean label of the code */
                label?: {
                    en: string;
                    ko: string;
                };
            }[];
            /** @description Trials the query selects, with or without a value */
            total: number;
        };
        Source: {
            id: string;
            name: string;
            /** @description Listed in SOURCES */
            enabled: boolean;
            /** @description Every setting it needs is present */
            configured: boolean;
            /** @description Settings that keep it from running (names, never values) */
            missing: string[];
            /** @description Cron expression of the scheduled harvest */
            schedule: string;
            timeZone: string;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            nextRunAt: string | null;
            trials: {
                total: number;
                active: number;
                removed: number;
            };
            lastRun: components["schemas"]["HarvestRun"] | (never | null);
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            lastSuccessAt: string | null;
        };
        SourceList: {
            items: components["schemas"]["Source"][];
        };
        HarvestRun: {
            id: number;
            source: string;
            /** @enum {string} */
            mode: "full" | "incremental";
            /** @enum {string} */
            trigger: "schedule" | "manual" | "import" | "bootstrap";
            /** @enum {string} */
            status: "running" | "succeeded" | "partial" | "failed" | "skipped" | "interrupted" | "abandoned";
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            startedAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            finishedAt: string | null;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            heartbeatAt: string;
            fetched: number;
            created: number;
            updated: number;
            unchanged: number;
            removed: number;
            restored: number;
            skipped: number;
            /** @description Why records were skipped (capped; `skipped` is exact) */
            skippedReasons: {
                id: string | null;
                reason: string;
            }[];
            errorCode: string | null;
            errorMessage: string | null;
            /** @description Source-specific facts (dataset version, upstream total, …) */
            info: {
                [key: string]: unknown;
            };
        };
        HarvestPage: {
            /** @description Newest first */
            items: components["schemas"]["HarvestRun"][];
            nextCursor: string | null;
        };
        StartedHarvest: {
            /** @description The run; follow it at /api/v1/harvests/{runId} */
            runId: number;
            source: string;
            /** @enum {string} */
            mode: "incremental" | "full";
            /** @enum {string} */
            status: "running";
        };
        Webhook: {
            id: string;
            url: string;
            /** @description The events to deliver: the filter parameters of `GET /api/v1/changes` (type, material, trial, source, since, until, q and the content filters), as JSON values, checked exactly as that route checks them. `{}`: every event. */
            filter: {
                /** @description Search, at most 200 characters and 12 terms; every term must match. Titles, official title, acronym, conditions, keywords, interventions, sponsor/institution, department, sites, places and ids; then the text people read: summaries, detailed descriptions, eligibility criteria and outcome measures. English words match whole words without case or accents, with simple word forms (`lymphomas` finds `lymphoma`); Korean (CJK) text matches as a substring (`림프종` finds "악성림프종의…", `천식` finds "소아천식"); words with digits and ids (`NCT01234567`, `KCT0000145`, `C130011`) match exactly. `"…"` is a phrase, `-word` excludes. Sorted by relevance unless `sort` says otherwise. Longer than the limit, or nothing to search for: 400. */
                q?: string;
                /** @description Status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                status?: string;
                /** @description Phase code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, PHASE1/PHASE2, PHASE2/PHASE3, NA, COHORT, CASE_ONLY, CASE_CONTROL, CROSS_SECTIONAL, OTHER, or phases joined by `/`; any other is a 400 naming these. */
                phase?: string;
                /** @description Study type code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS, OTHER; any other is a 400 naming these. */
                studyType?: string;
                /** @description Exact institution */
                institution?: string;
                /** @description Exact department */
                department?: string;
                /** @description One of the trial's conditions, exactly (ASCII letters in any case), as the `condition` facet lists them */
                condition?: string;
                /** @description One of the trial's countries, exactly (ASCII letters in any case), e.g. `South Korea` */
                country?: string;
                /** @description At least this many participants */
                enrollmentMin?: number;
                /** @description At most this many participants */
                enrollmentMax?: number;
                /** @description Whether the registry has posted results */
                hasResults?: boolean;
                /** @description Age in whole years: trials a person of this age (or older, up to `maxAge`) can take part in, by the eligibility ages (ClinicalTrials.gov minimum/maximum age, CRIS age range; a person of age N is N to just under N + 1 years old). A trial without an age bound matches on that side (KDCA iCReaT publishes no ages: its trials always match). Above `maxAge`: 400. */
                minAge?: number;
                /** @description Age in whole years: trials a person of this age (or younger, down to `minAge`) can take part in; `minAge=40&maxAge=40`: a 40-year-old. */
                maxAge?: number;
                /**
                 * @description Trials open to this sex, by the eligibility sex (ClinicalTrials.gov, CRIS): `FEMALE` or `MALE` match trials for that sex or for all, `ALL` only trials for all; a trial that gives none (all of KDCA iCReaT) matches.
                 * @enum {string}
                 */
                sex?: "ALL" | "FEMALE" | "MALE";
                /** @description Started on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startFrom?: string;
                /** @description Started on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startTo?: string;
                /** @description Completes (or completed) on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionFrom?: string;
                /** @description Completes (or completed) on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionTo?: string;
                /** @description `true`: trials open to enrolment now, overall status `RECRUITING` or `ENROLLING_BY_INVITATION` (not `NOT_YET_RECRUITING`); `false`: every other trial, those without a status too. */
                recruiting?: boolean;
                /** @description ClinicalTrials.gov's lead sponsor class, comma-separated for any of several (case-insensitive): NIH, FED, OTHER_GOV, INDIV, INDUSTRY, NETWORK, AMBIG, OTHER, UNKNOWN (`OTHER_GOV`: other government, `INDIV`: individual, `NETWORK`: a network, `AMBIG`: ambiguous). The Korean registries (KDCA iCReaT, CRIS) give no sponsor class: their trials never match. Any other value: 400. */
                sponsorClass?: string;
                /** @description Trials with a site within `radius` of here: `LAT,LON` in decimal degrees (`37.5665,126.978`), or a city the mirror knows, optionally with its state or country (`Seoul`, `Portland, Oregon`), placed at the mean of its sites' coordinates. Only sites with coordinates count: ClinicalTrials.gov gives them for most sites; the Korean registries (kr-icreat, CRIS) give none, so their trials never match `near` (find them with `q`, `institution` or `country`). Items then carry `nearestSite`; `sort=distance` orders by it. Bad coordinates: 400 `INVALID_NEAR`; a city without sites with coordinates: 400 `UNKNOWN_CITY` with close names in `details.suggestions`; a name for places far apart: 400 `AMBIGUOUS_CITY`, with the qualified names. */
                near?: string;
                /** @description With `near`: the great-circle distance, in km or mi (`50km`, `30mi`, `0km`: the exact point); at most 500km; default 50km. Otherwise 400 `INVALID_RADIUS`. */
                radius?: string;
                /** @description With `near`, only sites of this recruitment status count: site status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                siteStatus?: string;
                /**
                 * @description Only events of this source
                 * @enum {string}
                 */
                source?: "kr-icreat" | "ctgov" | "cris";
                /** @description Only events with a change of one of these types (comma list): status, enrollment, dates, sites, results, eligibility, title, design, sponsor, conditions, interventions, outcomes, contacts, ids, other, registry */
                type?: string;
                /** @description `true`: only events that change something a reader cares about (every event but registry bookkeeping); `false`: only bookkeeping */
                material?: boolean;
                /** @description Only events at or after this ISO 8601 time (with a zone) */
                since?: string;
                /** @description Only events before this ISO 8601 time (with a zone) */
                until?: string;
                /** @description Only events of this trial (its registry id) */
                trial?: string;
            };
            types: ("trial.created" | "trial.updated" | "trial.removed" | "trial.restored")[];
            description: string;
            paused: boolean;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            disabledAt: string | null;
            /** @description Why it was disabled (410 Gone, failing too long) */
            disabledReason: string | null;
            /** @description The change-feed seq up to which this endpoint is done (each event delivered, finally failed, or not wanted) */
            position: number;
            /** @description Feed events after the position (head seq − position) */
            lag: number;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            failingSince: string | null;
            /** @description Deliveries that succeeded */
            deliveredCount: number;
            /** @description Deliveries that failed for good */
            failedCount: number;
            /** @description Attempts that failed */
            failedAttempts: number;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            updatedAt: string;
        };
        CreatedWebhook: {
            id: string;
            url: string;
            /** @description The events to deliver: the filter parameters of `GET /api/v1/changes` (type, material, trial, source, since, until, q and the content filters), as JSON values, checked exactly as that route checks them. `{}`: every event. */
            filter: {
                /** @description Search, at most 200 characters and 12 terms; every term must match. Titles, official title, acronym, conditions, keywords, interventions, sponsor/institution, department, sites, places and ids; then the text people read: summaries, detailed descriptions, eligibility criteria and outcome measures. English words match whole words without case or accents, with simple word forms (`lymphomas` finds `lymphoma`); Korean (CJK) text matches as a substring (`림프종` finds "악성림프종의…", `천식` finds "소아천식"); words with digits and ids (`NCT01234567`, `KCT0000145`, `C130011`) match exactly. `"…"` is a phrase, `-word` excludes. Sorted by relevance unless `sort` says otherwise. Longer than the limit, or nothing to search for: 400. */
                q?: string;
                /** @description Status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                status?: string;
                /** @description Phase code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, PHASE1/PHASE2, PHASE2/PHASE3, NA, COHORT, CASE_ONLY, CASE_CONTROL, CROSS_SECTIONAL, OTHER, or phases joined by `/`; any other is a 400 naming these. */
                phase?: string;
                /** @description Study type code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS, OTHER; any other is a 400 naming these. */
                studyType?: string;
                /** @description Exact institution */
                institution?: string;
                /** @description Exact department */
                department?: string;
                /** @description One of the trial's conditions, exactly (ASCII letters in any case), as the `condition` facet lists them */
                condition?: string;
                /** @description One of the trial's countries, exactly (ASCII letters in any case), e.g. `South Korea` */
                country?: string;
                /** @description At least this many participants */
                enrollmentMin?: number;
                /** @description At most this many participants */
                enrollmentMax?: number;
                /** @description Whether the registry has posted results */
                hasResults?: boolean;
                /** @description Age in whole years: trials a person of this age (or older, up to `maxAge`) can take part in, by the eligibility ages (ClinicalTrials.gov minimum/maximum age, CRIS age range; a person of age N is N to just under N + 1 years old). A trial without an age bound matches on that side (KDCA iCReaT publishes no ages: its trials always match). Above `maxAge`: 400. */
                minAge?: number;
                /** @description Age in whole years: trials a person of this age (or younger, down to `minAge`) can take part in; `minAge=40&maxAge=40`: a 40-year-old. */
                maxAge?: number;
                /**
                 * @description Trials open to this sex, by the eligibility sex (ClinicalTrials.gov, CRIS): `FEMALE` or `MALE` match trials for that sex or for all, `ALL` only trials for all; a trial that gives none (all of KDCA iCReaT) matches.
                 * @enum {string}
                 */
                sex?: "ALL" | "FEMALE" | "MALE";
                /** @description Started on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startFrom?: string;
                /** @description Started on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startTo?: string;
                /** @description Completes (or completed) on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionFrom?: string;
                /** @description Completes (or completed) on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionTo?: string;
                /** @description `true`: trials open to enrolment now, overall status `RECRUITING` or `ENROLLING_BY_INVITATION` (not `NOT_YET_RECRUITING`); `false`: every other trial, those without a status too. */
                recruiting?: boolean;
                /** @description ClinicalTrials.gov's lead sponsor class, comma-separated for any of several (case-insensitive): NIH, FED, OTHER_GOV, INDIV, INDUSTRY, NETWORK, AMBIG, OTHER, UNKNOWN (`OTHER_GOV`: other government, `INDIV`: individual, `NETWORK`: a network, `AMBIG`: ambiguous). The Korean registries (KDCA iCReaT, CRIS) give no sponsor class: their trials never match. Any other value: 400. */
                sponsorClass?: string;
                /** @description Trials with a site within `radius` of here: `LAT,LON` in decimal degrees (`37.5665,126.978`), or a city the mirror knows, optionally with its state or country (`Seoul`, `Portland, Oregon`), placed at the mean of its sites' coordinates. Only sites with coordinates count: ClinicalTrials.gov gives them for most sites; the Korean registries (kr-icreat, CRIS) give none, so their trials never match `near` (find them with `q`, `institution` or `country`). Items then carry `nearestSite`; `sort=distance` orders by it. Bad coordinates: 400 `INVALID_NEAR`; a city without sites with coordinates: 400 `UNKNOWN_CITY` with close names in `details.suggestions`; a name for places far apart: 400 `AMBIGUOUS_CITY`, with the qualified names. */
                near?: string;
                /** @description With `near`: the great-circle distance, in km or mi (`50km`, `30mi`, `0km`: the exact point); at most 500km; default 50km. Otherwise 400 `INVALID_RADIUS`. */
                radius?: string;
                /** @description With `near`, only sites of this recruitment status count: site status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                siteStatus?: string;
                /**
                 * @description Only events of this source
                 * @enum {string}
                 */
                source?: "kr-icreat" | "ctgov" | "cris";
                /** @description Only events with a change of one of these types (comma list): status, enrollment, dates, sites, results, eligibility, title, design, sponsor, conditions, interventions, outcomes, contacts, ids, other, registry */
                type?: string;
                /** @description `true`: only events that change something a reader cares about (every event but registry bookkeeping); `false`: only bookkeeping */
                material?: boolean;
                /** @description Only events at or after this ISO 8601 time (with a zone) */
                since?: string;
                /** @description Only events before this ISO 8601 time (with a zone) */
                until?: string;
                /** @description Only events of this trial (its registry id) */
                trial?: string;
            };
            types: ("trial.created" | "trial.updated" | "trial.removed" | "trial.restored")[];
            description: string;
            paused: boolean;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            disabledAt: string | null;
            /** @description Why it was disabled (410 Gone, failing too long) */
            disabledReason: string | null;
            /** @description The change-feed seq up to which this endpoint is done (each event delivered, finally failed, or not wanted) */
            position: number;
            /** @description Feed events after the position (head seq − position) */
            lag: number;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            failingSince: string | null;
            /** @description Deliveries that succeeded */
            deliveredCount: number;
            /** @description Deliveries that failed for good */
            failedCount: number;
            /** @description Attempts that failed */
            failedAttempts: number;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            updatedAt: string;
            /** @description The signing secret (`whsec_` + base64 of 32 random bytes), shown only in this answer: verify `webhook-signature` with it (Standard Webhooks) */
            secret: string;
        };
        WebhookList: {
            items: components["schemas"]["Webhook"][];
        };
        Delivery: {
            id: number;
            endpointId: string;
            /** @description The `webhook-id` header: the same for every attempt and replay */
            messageId: string;
            /** @enum {string} */
            trigger: "feed" | "replay" | "ping";
            /** @description The event type (trial.created, …, or webhook.ping) */
            type: string;
            changeSeq: number | null;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            attempts: number;
            /** @description The last attempt's HTTP status */
            responseCode: number | null;
            /** @description The last attempt's duration (ms) */
            latencyMs: number | null;
            /** @description Why the last attempt failed (never the receiver's body) */
            error: string | null;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            nextAttemptAt: string | null;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description ISO 8601 time (UTC)
             */
            updatedAt: string;
        };
        DeliveryPage: {
            items: components["schemas"]["Delivery"][];
            nextCursor: string | null;
        };
        CompatRecord: {
            /** @description 과제번호 (the registry id) */
            research_number: string;
            /** @description 과제명 */
            research_name: string | null;
            /** @description 전체목표연구대상자수 */
            research_subject_count: number | null;
            /** @description 연구기간 */
            research_period: string | null;
            /** @description First seen, `YYYY.MM.DD HH:mm:ss` (Korea time) */
            research_created_at: string;
            /** @description Last changed, `YYYY.MM.DD HH:mm:ss` (Korea time) */
            research_updated_at: string;
            /** @description 진료과 */
            department_name: string | null;
            /** @description 연구책임기관 */
            hospital_name: string | null;
            /** @description 연구종류 */
            type_name: string | null;
            /** @description 연구범위 */
            scope_name: string | null;
            /** @description 임상시험단계(연구모형) */
            stage_name: string | null;
        };
        CompatSearchResult: {
            RESULT: components["schemas"]["CompatRecord"];
        };
        CompatList: {
            RESULT: components["schemas"]["CompatRecord"][];
        };
        Health: {
            /** @enum {string} */
            status: "ok";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok"
                     *     }
                     */
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ready",
                     *       "database": "postgres"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        status: "ready";
                        /** @enum {string} */
                        database: "sqlite" | "postgres";
                    };
                };
            };
            /** @description `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `NOT_READY`: The service is not ready; `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "NOT_READY" | "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example # HELP trialwatch_records Trials in the database by source and state (active, removed)
                     *     # TYPE trialwatch_records gauge
                     *     trialwatch_records{source="ctgov",state="active"} 2781
                     *     trialwatch_records{source="ctgov",state="removed"} 9
                     *     # HELP trialwatch_database_up Whether the database answered the last scrape in time (1) or not (0)
                     *     # TYPE trialwatch_database_up gauge
                     *     trialwatch_database_up 1
                     */
                    "text/plain": string;
                };
            };
            /** @description `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    getTrial: {
        parameters: {
            query?: {
                /** @description `raw` adds the upstream record as sent */
                include?: "raw";
            };
            header?: never;
            path: {
                /** @description The registry id (e.g. C130011, NCT01234567, KCT0001234) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The trial */
            200: {
                headers: {
                    /** @description Weak tag of the version, latest change and links */
                    ETag?: string;
                    /** @description When the id was a merged one: the path of the current trial */
                    "Content-Location"?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "NCT05102630",
                     *       "source": "ctgov",
                     *       "registryUrl": "https://clinicaltrials.gov/study/NCT05102630",
                     *       "version": 4,
                     *       "firstSeenAt": "2024-03-04T05:10:02.000Z",
                     *       "lastSeenAt": "2024-06-04T05:11:57.000Z",
                     *       "lastChangedAt": "2024-06-03T05:12:41.000Z",
                     *       "removedAt": null,
                     *       "sourceUpdatedAt": "2024-05-31",
                     *       "fields": {
                     *         "title": "Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma",
                     *         "titleEn": "Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma",
                     *         "officialTitle": "A Randomized, Open-label, Multicenter Study of As-needed Budesonide-Formoterol Compared With Maintenance Budesonide Plus As-needed Terbutaline in Adults With Mild Asthma",
                     *         "acronym": "BREEZE",
                     *         "status": "ACTIVE_NOT_RECRUITING",
                     *         "phase": "PHASE3",
                     *         "studyType": "INTERVENTIONAL",
                     *         "institution": "Seoul National University Hospital",
                     *         "department": null,
                     *         "conditions": [
                     *           "Asthma"
                     *         ],
                     *         "keywords": [
                     *           "inhaled corticosteroid",
                     *           "reliever therapy"
                     *         ],
                     *         "interventions": [
                     *           {
                     *             "type": "DRUG",
                     *             "name": "Budesonide-formoterol"
                     *           },
                     *           {
                     *             "type": "DRUG",
                     *             "name": "Budesonide"
                     *           }
                     *         ],
                     *         "enrollment": 412,
                     *         "countries": [
                     *           "South Korea"
                     *         ],
                     *         "hasResults": false,
                     *         "secondaryIds": [
                     *           {
                     *             "id": "KCT0006789",
                     *             "type": "REGISTRY"
                     *           }
                     *         ],
                     *         "sourceUpdatedAt": "2024-05-31"
                     *       },
                     *       "sourceFields": {
                     *         "nctIdAliases": [],
                     *         "overallStatus": "ACTIVE_NOT_RECRUITING",
                     *         "whyStopped": null,
                     *         "phases": [
                     *           "PHASE3"
                     *         ],
                     *         "enrollment": {
                     *           "count": 412,
                     *           "type": "ACTUAL",
                     *           "reported": 412
                     *         },
                     *         "leadSponsor": {
                     *           "name": "Seoul National University Hospital",
                     *           "class": "OTHER"
                     *         }
                     *       },
                     *       "labels": {
                     *         "status": {
                     *           "en": "Active, not recruiting",
                     *           "ko": "진행 중(모집 완료)"
                     *         },
                     *         "phase": {
                     *           "en": "Phase 3",
                     *           "ko": "3상"
                     *         },
                     *         "studyType": {
                     *           "en": "Interventional",
                     *           "ko": "중재 연구"
                     *         }
                     *       },
                     *       "links": [
                     *         {
                     *           "id": "KCT0006789",
                     *           "source": "cris",
                     *           "relation": "secondary-id",
                     *           "mirrored": true
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["Trial"];
                };
            };
            /** @description Not modified since the ETag sent in If-None-Match */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `TRIAL_NOT_FOUND`: Trial not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "TRIAL_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listTrials: {
        parameters: {
            query?: {
                /** @description Search, at most 200 characters and 12 terms; every term must match. Titles, official title, acronym, conditions, keywords, interventions, sponsor/institution, department, sites, places and ids; then the text people read: summaries, detailed descriptions, eligibility criteria and outcome measures. English words match whole words without case or accents, with simple word forms (`lymphomas` finds `lymphoma`); Korean (CJK) text matches as a substring (`림프종` finds "악성림프종의…", `천식` finds "소아천식"); words with digits and ids (`NCT01234567`, `KCT0000145`, `C130011`) match exactly. `"…"` is a phrase, `-word` excludes. Sorted by relevance unless `sort` says otherwise. Longer than the limit, or nothing to search for: 400. */
                q?: string;
                /** @description Changed within this period before now: minutes, hours or days, e.g. `30m`, `24h`, `7d` (the brief's "last week") */
                updatedWithin?: string;
                /** @description Changed at or after this ISO 8601 time (`2024-05-01` or `2024-05-01T09:00:00+09:00`) */
                updatedSince?: string;
                /** @description Only this source */
                source?: "kr-icreat" | "ctgov" | "cris";
                /** @description Include trials the registry no longer lists */
                includeRemoved?: boolean;
                /** @description Status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                status?: string;
                /** @description Phase code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, PHASE1/PHASE2, PHASE2/PHASE3, NA, COHORT, CASE_ONLY, CASE_CONTROL, CROSS_SECTIONAL, OTHER, or phases joined by `/`; any other is a 400 naming these. */
                phase?: string;
                /** @description Study type code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS, OTHER; any other is a 400 naming these. */
                studyType?: string;
                /** @description Exact institution */
                institution?: string;
                /** @description Exact department */
                department?: string;
                /** @description One of the trial's conditions, exactly (ASCII letters in any case), as the `condition` facet lists them */
                condition?: string;
                /** @description One of the trial's countries, exactly (ASCII letters in any case), e.g. `South Korea` */
                country?: string;
                /** @description At least this many participants */
                enrollmentMin?: number;
                /** @description At most this many participants */
                enrollmentMax?: number;
                /** @description Whether the registry has posted results */
                hasResults?: boolean;
                /** @description Age in whole years: trials a person of this age (or older, up to `maxAge`) can take part in, by the eligibility ages (ClinicalTrials.gov minimum/maximum age, CRIS age range; a person of age N is N to just under N + 1 years old). A trial without an age bound matches on that side (KDCA iCReaT publishes no ages: its trials always match). Above `maxAge`: 400. */
                minAge?: number;
                /** @description Age in whole years: trials a person of this age (or younger, down to `minAge`) can take part in; `minAge=40&maxAge=40`: a 40-year-old. */
                maxAge?: number;
                /** @description Trials open to this sex, by the eligibility sex (ClinicalTrials.gov, CRIS): `FEMALE` or `MALE` match trials for that sex or for all, `ALL` only trials for all; a trial that gives none (all of KDCA iCReaT) matches. */
                sex?: "ALL" | "FEMALE" | "MALE";
                /** @description Started on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startFrom?: string;
                /** @description Started on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startTo?: string;
                /** @description Completes (or completed) on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionFrom?: string;
                /** @description Completes (or completed) on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionTo?: string;
                /** @description `true`: trials open to enrolment now, overall status `RECRUITING` or `ENROLLING_BY_INVITATION` (not `NOT_YET_RECRUITING`); `false`: every other trial, those without a status too. */
                recruiting?: boolean;
                /** @description ClinicalTrials.gov's lead sponsor class, comma-separated for any of several (case-insensitive): NIH, FED, OTHER_GOV, INDIV, INDUSTRY, NETWORK, AMBIG, OTHER, UNKNOWN (`OTHER_GOV`: other government, `INDIV`: individual, `NETWORK`: a network, `AMBIG`: ambiguous). The Korean registries (KDCA iCReaT, CRIS) give no sponsor class: their trials never match. Any other value: 400. */
                sponsorClass?: string;
                /** @description Only trials with a change of one of these types (comma list: status, enrollment, dates, sites, results, eligibility, title, design, sponsor, conditions, interventions, outcomes, contacts, ids, other, registry); with `updatedWithin` or `updatedSince`, a change in that window (`updatedWithin=7d&changeType=status`: the trials whose status changed this week) */
                changeType?: string;
                /** @description Trials with a site within `radius` of here: `LAT,LON` in decimal degrees (`37.5665,126.978`), or a city the mirror knows, optionally with its state or country (`Seoul`, `Portland, Oregon`), placed at the mean of its sites' coordinates. Only sites with coordinates count: ClinicalTrials.gov gives them for most sites; the Korean registries (kr-icreat, CRIS) give none, so their trials never match `near` (find them with `q`, `institution` or `country`). Items then carry `nearestSite`; `sort=distance` orders by it. Bad coordinates: 400 `INVALID_NEAR`; a city without sites with coordinates: 400 `UNKNOWN_CITY` with close names in `details.suggestions`; a name for places far apart: 400 `AMBIGUOUS_CITY`, with the qualified names. */
                near?: string;
                /** @description With `near`: the great-circle distance, in km or mi (`50km`, `30mi`, `0km`: the exact point); at most 500km; default 50km. Otherwise 400 `INVALID_RADIUS`. */
                radius?: string;
                /** @description With `near`, only sites of this recruitment status count: site status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                siteStatus?: string;
                /** @description Only trials linked to this id (the same study in another registry, either direction); a merged id counts as the trial it was merged into */
                linkedTo?: string;
                /** @description `relevance` (default with `q`: trials whose title holds every term first, then the official title, then conditions and keywords, then interventions, sponsors, sites and ids, then the summaries, descriptions, eligibility criteria and outcome measures; most recently changed first within each tier; without `q` the same as `-lastChangedAt`), `-lastChangedAt` (default without `q`: most recently changed first), `id`, or `-sourceUpdatedAt` (registry date, undated last), or `distance` (with `near`: nearest site first, then by id), or `startDate` / `-startDate` / `completionDate` / `-completionDate` (by the start or completion date, earliest or, with `-`, latest first; ties by id; trials without the date last) */
                sort?: "relevance" | "-lastChangedAt" | "id" | "-sourceUpdatedAt" | "distance" | "startDate" | "-startDate" | "completionDate" | "-completionDate";
                /** @description Items per page, 1…1000 (default 20). Above 1000: 400 LIMIT_TOO_LARGE. With an export format: the most rows to export (default: all). */
                limit?: number;
                /** @description Opaque cursor from `nextCursor` of the previous page. Tampered or foreign cursors are refused. */
                cursor?: string;
                /** @description Add `total` (exports: the `X-Total-Count` header) */
                count?: boolean;
                /** @description json (a page), or csv / ndjson: the whole filtered result, streamed. `Accept: text/csv` or `application/x-ndjson` do the same. */
                format?: "json" | "csv" | "ndjson";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page (JSON) or the whole result (CSV, NDJSON) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "NCT05102630",
                     *           "source": "ctgov",
                     *           "registryUrl": "https://clinicaltrials.gov/study/NCT05102630",
                     *           "version": 4,
                     *           "firstSeenAt": "2024-03-04T05:10:02.000Z",
                     *           "lastSeenAt": "2024-06-04T05:11:57.000Z",
                     *           "lastChangedAt": "2024-06-03T05:12:41.000Z",
                     *           "removedAt": null,
                     *           "sourceUpdatedAt": "2024-05-31",
                     *           "fields": {
                     *             "title": "Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma",
                     *             "titleEn": "Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma",
                     *             "officialTitle": "A Randomized, Open-label, Multicenter Study of As-needed Budesonide-Formoterol Compared With Maintenance Budesonide Plus As-needed Terbutaline in Adults With Mild Asthma",
                     *             "acronym": "BREEZE",
                     *             "status": "ACTIVE_NOT_RECRUITING",
                     *             "phase": "PHASE3",
                     *             "studyType": "INTERVENTIONAL",
                     *             "institution": "Seoul National University Hospital",
                     *             "department": null,
                     *             "conditions": [
                     *               "Asthma"
                     *             ],
                     *             "keywords": [
                     *               "inhaled corticosteroid",
                     *               "reliever therapy"
                     *             ],
                     *             "interventions": [
                     *               {
                     *                 "type": "DRUG",
                     *                 "name": "Budesonide-formoterol"
                     *               },
                     *               {
                     *                 "type": "DRUG",
                     *                 "name": "Budesonide"
                     *               }
                     *             ],
                     *             "enrollment": 412,
                     *             "countries": [
                     *               "South Korea"
                     *             ],
                     *             "hasResults": false,
                     *             "secondaryIds": [
                     *               {
                     *                 "id": "KCT0006789",
                     *                 "type": "REGISTRY"
                     *               }
                     *             ],
                     *             "sourceUpdatedAt": "2024-05-31"
                     *           },
                     *           "sourceFields": {
                     *             "nctIdAliases": [],
                     *             "overallStatus": "ACTIVE_NOT_RECRUITING",
                     *             "whyStopped": null,
                     *             "phases": [
                     *               "PHASE3"
                     *             ],
                     *             "enrollment": {
                     *               "count": 412,
                     *               "type": "ACTUAL",
                     *               "reported": 412
                     *             },
                     *             "leadSponsor": {
                     *               "name": "Seoul National University Hospital",
                     *               "class": "OTHER"
                     *             }
                     *           },
                     *           "labels": {
                     *             "status": {
                     *               "en": "Active, not recruiting",
                     *               "ko": "진행 중(모집 완료)"
                     *             },
                     *             "phase": {
                     *               "en": "Phase 3",
                     *               "ko": "3상"
                     *             },
                     *             "studyType": {
                     *               "en": "Interventional",
                     *               "ko": "중재 연구"
                     *             }
                     *           },
                     *           "lastChange": {
                     *             "seq": 148,
                     *             "kind": "updated",
                     *             "occurredAt": "2024-06-03T05:12:41.000Z",
                     *             "types": [
                     *               "status",
                     *               "enrollment"
                     *             ],
                     *             "material": true,
                     *             "summary": {
                     *               "en": "Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)",
                     *               "ko": "상태: 모집 중 → 진행 중(모집 완료); 대상자 수: 400 (예정) → 412 (실제)"
                     *             }
                     *           }
                     *         }
                     *       ],
                     *       "nextCursor": "eyJrIjoidHJpYWxzIiwicCI6eyJzIjoxNDgsInQiOiIyMDI0LTA2LTAzIn19.Hq3aZ0c9c8Q2k1XbZ5mY0w"
                     *     }
                     */
                    "application/json": components["schemas"]["TrialPage"];
                    /**
                     * @example id,source,registryUrl,version,title,titleEn,officialTitle,acronym,status,phase,studyType,institution,department,conditions,keywords,interventions,enrollment,countries,hasResults,secondaryIds,sourceUpdatedAt,firstSeenAt,lastSeenAt,lastChangedAt,removedAt,sourceFields
                     *     C110007,kr-icreat,https://www.data.go.kr/data/3074271/openapi.do,2,"악성림프종의 임상양상과 항암 화학요법의 치료 성적 조사 및 예후 예측 지표 분석, retrospective study",,,,COMPLETED,CASE_ONLY,OBSERVATIONAL,가톨릭대 서울성모병원,Hematology,,,,200,,,,,2024-06-01T00:00:00.000Z,2024-06-03T00:00:00.000Z,2024-06-03T00:00:00.000Z,,"{""upstream"":{""과제번호"":""C110007"",""진료과"":""Hematology""}}"
                     */
                    "text/csv": string;
                    /** @example {"id":"NCT05102630","source":"ctgov","registryUrl":"https://clinicaltrials.gov/study/NCT05102630","version":4,"firstSeenAt":"2024-03-04T05:10:02.000Z","lastSeenAt":"2024-06-04T05:11:57.000Z","lastChangedAt":"2024-06-03T05:12:41.000Z","removedAt":null,"sourceUpdatedAt":"2024-05-31","fields":{"title":"Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma","titleEn":"Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma","officialTitle":"A Randomized, Open-label, Multicenter Study of As-needed Budesonide-Formoterol Compared With Maintenance Budesonide Plus As-needed Terbutaline in Adults With Mild Asthma","acronym":"BREEZE","status":"ACTIVE_NOT_RECRUITING","phase":"PHASE3","studyType":"INTERVENTIONAL","institution":"Seoul National University Hospital","department":null,"conditions":["Asthma"],"keywords":["inhaled corticosteroid","reliever therapy"],"interventions":[{"type":"DRUG","name":"Budesonide-formoterol"},{"type":"DRUG","name":"Budesonide"}],"enrollment":412,"countries":["South Korea"],"hasResults":false,"secondaryIds":[{"id":"KCT0006789","type":"REGISTRY"}],"sourceUpdatedAt":"2024-05-31"},"sourceFields":{"nctIdAliases":[],"overallStatus":"ACTIVE_NOT_RECRUITING","whyStopped":null,"phases":["PHASE3"],"enrollment":{"count":412,"type":"ACTUAL","reported":412},"leadSponsor":{"name":"Seoul National University Hospital","class":"OTHER"}},"labels":{"status":{"en":"Active, not recruiting","ko":"진행 중(모집 완료)"},"phase":{"en":"Phase 3","ko":"3상"},"studyType":{"en":"Interventional","ko":"중재 연구"}},"lastChange":{"seq":148,"kind":"updated","occurredAt":"2024-06-03T05:12:41.000Z","types":["status","enrollment"],"material":true,"summary":{"en":"Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)","ko":"상태: 모집 중 → 진행 중(모집 완료); 대상자 수: 400 (예정) → 412 (실제)"}}} */
                    "application/x-ndjson": string;
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `INVALID_CURSOR`: The cursor is not valid; `LIMIT_TOO_LARGE`: The limit is above the cap; `INVALID_NEAR`: The near centre is not a valid position; `INVALID_RADIUS`: The radius is not valid; `UNKNOWN_CITY`: No site with coordinates is in this city; `AMBIGUOUS_CITY`: The city name stands for several places */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "INVALID_CURSOR" | "LIMIT_TOO_LARGE" | "INVALID_NEAR" | "INVALID_RADIUS" | "UNKNOWN_CITY" | "AMBIGUOUS_CITY";
                    };
                };
            };
            /** @description `NOT_ACCEPTABLE`: Not acceptable */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "NOT_ACCEPTABLE";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listTrialSites: {
        parameters: {
            query?: {
                /** @description A centre, as `near` of GET /api/v1/trials (`LAT,LON` or a city the mirror knows): each site with coordinates then carries `distanceKm`, and the answer `centre` */
                near?: string;
            };
            header?: never;
            path: {
                /** @description The registry id (e.g. C130011, NCT01234567, KCT0001234) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sites */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "trialId": "NCT05102630",
                     *       "centre": {
                     *         "lat": 37.566,
                     *         "lon": 126.9784
                     *       },
                     *       "items": [
                     *         {
                     *           "name": "Seoul National University Hospital",
                     *           "city": "Seoul",
                     *           "state": null,
                     *           "country": "Korea, Republic of",
                     *           "postalCode": "03080",
                     *           "status": "RECRUITING",
                     *           "lat": 37.5796,
                     *           "lon": 126.9996,
                     *           "distanceKm": 2.4
                     *         },
                     *         {
                     *           "name": "Mayo Clinic",
                     *           "city": "Rochester",
                     *           "state": "Minnesota",
                     *           "country": "United States",
                     *           "postalCode": "55905",
                     *           "status": "COMPLETED",
                     *           "lat": 44.0225,
                     *           "lon": -92.4666,
                     *           "distanceKm": 10322.5
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        trialId: string;
                        /** @description With `near`: the centre the distances are measured from */
                        centre?: {
                            /** @description Degrees (WGS 84) */
                            lat: number;
                            /** @description Degrees (WGS 84) */
                            lon: number;
                        };
                        /** @description Every site of the trial's current version, in the registry's order */
                        items: {
                            /** @description The facility */
                            name: string | null;
                            city: string | null;
                            state: string | null;
                            country: string | null;
                            postalCode: string | null;
                            /** @description The site's own recruitment status code (`RECRUITING`, …), where given */
                            status: string | null;
                            /** @description Degrees (WGS 84) */
                            lat: number | null;
                            /** @description Degrees (WGS 84) */
                            lon: number | null;
                            /** @description With `near` and coordinates: great-circle distance, km */
                            distanceKm?: number;
                        }[];
                    };
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `INVALID_NEAR`: The near centre is not a valid position; `UNKNOWN_CITY`: No site with coordinates is in this city; `AMBIGUOUS_CITY`: The city name stands for several places */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "INVALID_NEAR" | "UNKNOWN_CITY" | "AMBIGUOUS_CITY";
                    };
                };
            };
            /** @description `TRIAL_NOT_FOUND`: Trial not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "TRIAL_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listTrialVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The registry id (e.g. C130011, NCT01234567, KCT0001234) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Versions, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "trialId": "NCT05102630",
                     *       "source": "ctgov",
                     *       "currentVersion": 4,
                     *       "items": [
                     *         {
                     *           "version": 1,
                     *           "observedAt": "2024-03-04T05:10:02.000Z",
                     *           "kind": "created",
                     *           "contentHash": "3b1e5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b",
                     *           "sourceUpdatedAt": "2024-02-27",
                     *           "runId": 12,
                     *           "diff": null,
                     *           "events": [
                     *             {
                     *               "seq": 31,
                     *               "kind": "created",
                     *               "occurredAt": "2024-03-04T05:10:02.000Z"
                     *             }
                     *           ],
                     *           "changes": [],
                     *           "material": true,
                     *           "summary": {
                     *             "en": "New trial in the registry",
                     *             "ko": "새로 등록된 임상시험"
                     *           }
                     *         },
                     *         {
                     *           "version": 4,
                     *           "observedAt": "2024-06-03T05:12:41.000Z",
                     *           "kind": "updated",
                     *           "contentHash": "9f2c4b7e1a0d3c5f8e6b2a4d7c9e1f3a5b8d0c2e4f6a8b1d3e5f7a9c0b2d4e6f",
                     *           "sourceUpdatedAt": "2024-05-31",
                     *           "runId": 57,
                     *           "diff": [
                     *             {
                     *               "path": "protocolSection.statusModule.overallStatus",
                     *               "old": "RECRUITING",
                     *               "new": "ACTIVE_NOT_RECRUITING"
                     *             },
                     *             {
                     *               "path": "protocolSection.designModule.enrollmentInfo.count",
                     *               "old": 400,
                     *               "new": 412
                     *             },
                     *             {
                     *               "path": "protocolSection.designModule.enrollmentInfo.type",
                     *               "old": "ESTIMATED",
                     *               "new": "ACTUAL"
                     *             }
                     *           ],
                     *           "events": [
                     *             {
                     *               "seq": 148,
                     *               "kind": "updated",
                     *               "occurredAt": "2024-06-03T05:12:41.000Z"
                     *             }
                     *           ],
                     *           "changes": [
                     *             {
                     *               "type": "status",
                     *               "field": "status",
                     *               "from": "RECRUITING",
                     *               "to": "ACTIVE_NOT_RECRUITING",
                     *               "fromLabel": {
                     *                 "en": "Recruiting",
                     *                 "ko": "모집 중"
                     *               },
                     *               "toLabel": {
                     *                 "en": "Active, not recruiting",
                     *                 "ko": "진행 중(모집 완료)"
                     *               },
                     *               "summary": {
                     *                 "en": "Status: Recruiting → Active, not recruiting",
                     *                 "ko": "상태: 모집 중 → 진행 중(모집 완료)"
                     *               }
                     *             },
                     *             {
                     *               "type": "enrollment",
                     *               "field": "enrollment",
                     *               "from": {
                     *                 "count": 400,
                     *                 "type": "ESTIMATED"
                     *               },
                     *               "to": {
                     *                 "count": 412,
                     *                 "type": "ACTUAL"
                     *               },
                     *               "summary": {
                     *                 "en": "Enrollment: 400 (estimated) → 412 (actual)",
                     *                 "ko": "대상자 수: 400 (예정) → 412 (실제)"
                     *               }
                     *             }
                     *           ],
                     *           "material": true,
                     *           "summary": {
                     *             "en": "Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)",
                     *             "ko": "상태: 모집 중 → 진행 중(모집 완료); 대상자 수: 400 (예정) → 412 (실제)"
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["TrialVersionList"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `TRIAL_NOT_FOUND`: Trial not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "TRIAL_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    getTrialVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The registry id (e.g. C130011, NCT01234567, KCT0001234) */
                id: string;
                /** @description Version number */
                n: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "trialId": "NCT05102630",
                     *       "source": "ctgov",
                     *       "current": true,
                     *       "version": 4,
                     *       "observedAt": "2024-06-03T05:12:41.000Z",
                     *       "kind": "updated",
                     *       "contentHash": "9f2c4b7e1a0d3c5f8e6b2a4d7c9e1f3a5b8d0c2e4f6a8b1d3e5f7a9c0b2d4e6f",
                     *       "sourceUpdatedAt": "2024-05-31",
                     *       "runId": 57,
                     *       "diff": [
                     *         {
                     *           "path": "protocolSection.statusModule.overallStatus",
                     *           "old": "RECRUITING",
                     *           "new": "ACTIVE_NOT_RECRUITING"
                     *         },
                     *         {
                     *           "path": "protocolSection.designModule.enrollmentInfo.count",
                     *           "old": 400,
                     *           "new": 412
                     *         },
                     *         {
                     *           "path": "protocolSection.designModule.enrollmentInfo.type",
                     *           "old": "ESTIMATED",
                     *           "new": "ACTUAL"
                     *         }
                     *       ],
                     *       "events": [
                     *         {
                     *           "seq": 148,
                     *           "kind": "updated",
                     *           "occurredAt": "2024-06-03T05:12:41.000Z"
                     *         }
                     *       ],
                     *       "changes": [
                     *         {
                     *           "type": "status",
                     *           "field": "status",
                     *           "from": "RECRUITING",
                     *           "to": "ACTIVE_NOT_RECRUITING",
                     *           "fromLabel": {
                     *             "en": "Recruiting",
                     *             "ko": "모집 중"
                     *           },
                     *           "toLabel": {
                     *             "en": "Active, not recruiting",
                     *             "ko": "진행 중(모집 완료)"
                     *           },
                     *           "summary": {
                     *             "en": "Status: Recruiting → Active, not recruiting",
                     *             "ko": "상태: 모집 중 → 진행 중(모집 완료)"
                     *           }
                     *         },
                     *         {
                     *           "type": "enrollment",
                     *           "field": "enrollment",
                     *           "from": {
                     *             "count": 400,
                     *             "type": "ESTIMATED"
                     *           },
                     *           "to": {
                     *             "count": 412,
                     *             "type": "ACTUAL"
                     *           },
                     *           "summary": {
                     *             "en": "Enrollment: 400 (estimated) → 412 (actual)",
                     *             "ko": "대상자 수: 400 (예정) → 412 (실제)"
                     *           }
                     *         }
                     *       ],
                     *       "material": true,
                     *       "summary": {
                     *         "en": "Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)",
                     *         "ko": "상태: 모집 중 → 진행 중(모집 완료); 대상자 수: 400 (예정) → 412 (실제)"
                     *       },
                     *       "fields": {
                     *         "title": "Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma",
                     *         "titleEn": "Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma",
                     *         "officialTitle": "A Randomized, Open-label, Multicenter Study of As-needed Budesonide-Formoterol Compared With Maintenance Budesonide Plus As-needed Terbutaline in Adults With Mild Asthma",
                     *         "acronym": "BREEZE",
                     *         "status": "ACTIVE_NOT_RECRUITING",
                     *         "phase": "PHASE3",
                     *         "studyType": "INTERVENTIONAL",
                     *         "institution": "Seoul National University Hospital",
                     *         "department": null,
                     *         "conditions": [
                     *           "Asthma"
                     *         ],
                     *         "keywords": [
                     *           "inhaled corticosteroid",
                     *           "reliever therapy"
                     *         ],
                     *         "interventions": [
                     *           {
                     *             "type": "DRUG",
                     *             "name": "Budesonide-formoterol"
                     *           },
                     *           {
                     *             "type": "DRUG",
                     *             "name": "Budesonide"
                     *           }
                     *         ],
                     *         "enrollment": 412,
                     *         "countries": [
                     *           "South Korea"
                     *         ],
                     *         "hasResults": false,
                     *         "secondaryIds": [
                     *           {
                     *             "id": "KCT0006789",
                     *             "type": "REGISTRY"
                     *           }
                     *         ],
                     *         "sourceUpdatedAt": "2024-05-31"
                     *       },
                     *       "sourceFields": {
                     *         "nctIdAliases": [],
                     *         "overallStatus": "ACTIVE_NOT_RECRUITING",
                     *         "whyStopped": null,
                     *         "phases": [
                     *           "PHASE3"
                     *         ],
                     *         "enrollment": {
                     *           "count": 412,
                     *           "type": "ACTUAL",
                     *           "reported": 412
                     *         },
                     *         "leadSponsor": {
                     *           "name": "Seoul National University Hospital",
                     *           "class": "OTHER"
                     *         }
                     *       },
                     *       "labels": {
                     *         "status": {
                     *           "en": "Active, not recruiting",
                     *           "ko": "진행 중(모집 완료)"
                     *         },
                     *         "phase": {
                     *           "en": "Phase 3",
                     *           "ko": "3상"
                     *         },
                     *         "studyType": {
                     *           "en": "Interventional",
                     *           "ko": "중재 연구"
                     *         }
                     *       },
                     *       "raw": {
                     *         "protocolSection": {
                     *           "identificationModule": {
                     *             "nctId": "NCT05102630",
                     *             "acronym": "BREEZE"
                     *           },
                     *           "statusModule": {
                     *             "overallStatus": "ACTIVE_NOT_RECRUITING"
                     *           },
                     *           "designModule": {
                     *             "phases": [
                     *               "PHASE3"
                     *             ],
                     *             "enrollmentInfo": {
                     *               "count": 412,
                     *               "type": "ACTUAL"
                     *             }
                     *           }
                     *         },
                     *         "hasResults": false
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TrialVersion"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `TRIAL_NOT_FOUND`: Trial not found; `VERSION_NOT_FOUND`: Version not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "TRIAL_NOT_FOUND" | "VERSION_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    getFacets: {
        parameters: {
            query: {
                /** @description The field to count: `source`, `status`, `phase`, `studyType`, `institution`, `department`, `condition`, `country`, `hasResults`, `sex` (the trials open to each sex, as `sex=` selects them: a trial for all, or that gives none, counts for `FEMALE`, `MALE` and `ALL` alike, so these counts overlap), `sponsorClass` (ClinicalTrials.gov lead sponsor class) or `recruiting` (whether the overall status is `RECRUITING` or `ENROLLING_BY_INVITATION`) */
                field: "source" | "status" | "phase" | "studyType" | "institution" | "department" | "condition" | "country" | "hasResults" | "sex" | "sponsorClass" | "recruiting";
                /** @description Items per page, 1…100 (default 20). Above 100: 400 LIMIT_TOO_LARGE. Here: the most values returned. */
                limit?: number;
                /** @description Search, at most 200 characters and 12 terms; every term must match. Titles, official title, acronym, conditions, keywords, interventions, sponsor/institution, department, sites, places and ids; then the text people read: summaries, detailed descriptions, eligibility criteria and outcome measures. English words match whole words without case or accents, with simple word forms (`lymphomas` finds `lymphoma`); Korean (CJK) text matches as a substring (`림프종` finds "악성림프종의…", `천식` finds "소아천식"); words with digits and ids (`NCT01234567`, `KCT0000145`, `C130011`) match exactly. `"…"` is a phrase, `-word` excludes. Sorted by relevance unless `sort` says otherwise. Longer than the limit, or nothing to search for: 400. */
                q?: string;
                /** @description Changed within this period before now: minutes, hours or days, e.g. `30m`, `24h`, `7d` (the brief's "last week") */
                updatedWithin?: string;
                /** @description Changed at or after this ISO 8601 time (`2024-05-01` or `2024-05-01T09:00:00+09:00`) */
                updatedSince?: string;
                /** @description Only this source */
                source?: "kr-icreat" | "ctgov" | "cris";
                /** @description Include trials the registry no longer lists */
                includeRemoved?: boolean;
                /** @description Status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                status?: string;
                /** @description Phase code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, PHASE1/PHASE2, PHASE2/PHASE3, NA, COHORT, CASE_ONLY, CASE_CONTROL, CROSS_SECTIONAL, OTHER, or phases joined by `/`; any other is a 400 naming these. */
                phase?: string;
                /** @description Study type code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS, OTHER; any other is a 400 naming these. */
                studyType?: string;
                /** @description Exact institution */
                institution?: string;
                /** @description Exact department */
                department?: string;
                /** @description One of the trial's conditions, exactly (ASCII letters in any case), as the `condition` facet lists them */
                condition?: string;
                /** @description One of the trial's countries, exactly (ASCII letters in any case), e.g. `South Korea` */
                country?: string;
                /** @description At least this many participants */
                enrollmentMin?: number;
                /** @description At most this many participants */
                enrollmentMax?: number;
                /** @description Whether the registry has posted results */
                hasResults?: boolean;
                /** @description Age in whole years: trials a person of this age (or older, up to `maxAge`) can take part in, by the eligibility ages (ClinicalTrials.gov minimum/maximum age, CRIS age range; a person of age N is N to just under N + 1 years old). A trial without an age bound matches on that side (KDCA iCReaT publishes no ages: its trials always match). Above `maxAge`: 400. */
                minAge?: number;
                /** @description Age in whole years: trials a person of this age (or younger, down to `minAge`) can take part in; `minAge=40&maxAge=40`: a 40-year-old. */
                maxAge?: number;
                /** @description Trials open to this sex, by the eligibility sex (ClinicalTrials.gov, CRIS): `FEMALE` or `MALE` match trials for that sex or for all, `ALL` only trials for all; a trial that gives none (all of KDCA iCReaT) matches. */
                sex?: "ALL" | "FEMALE" | "MALE";
                /** @description Started on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startFrom?: string;
                /** @description Started on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startTo?: string;
                /** @description Completes (or completed) on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionFrom?: string;
                /** @description Completes (or completed) on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionTo?: string;
                /** @description `true`: trials open to enrolment now, overall status `RECRUITING` or `ENROLLING_BY_INVITATION` (not `NOT_YET_RECRUITING`); `false`: every other trial, those without a status too. */
                recruiting?: boolean;
                /** @description ClinicalTrials.gov's lead sponsor class, comma-separated for any of several (case-insensitive): NIH, FED, OTHER_GOV, INDIV, INDUSTRY, NETWORK, AMBIG, OTHER, UNKNOWN (`OTHER_GOV`: other government, `INDIV`: individual, `NETWORK`: a network, `AMBIG`: ambiguous). The Korean registries (KDCA iCReaT, CRIS) give no sponsor class: their trials never match. Any other value: 400. */
                sponsorClass?: string;
                /** @description Only trials with a change of one of these types (comma list: status, enrollment, dates, sites, results, eligibility, title, design, sponsor, conditions, interventions, outcomes, contacts, ids, other, registry); with `updatedWithin` or `updatedSince`, a change in that window (`updatedWithin=7d&changeType=status`: the trials whose status changed this week) */
                changeType?: string;
                /** @description Trials with a site within `radius` of here: `LAT,LON` in decimal degrees (`37.5665,126.978`), or a city the mirror knows, optionally with its state or country (`Seoul`, `Portland, Oregon`), placed at the mean of its sites' coordinates. Only sites with coordinates count: ClinicalTrials.gov gives them for most sites; the Korean registries (kr-icreat, CRIS) give none, so their trials never match `near` (find them with `q`, `institution` or `country`). Items then carry `nearestSite`; `sort=distance` orders by it. Bad coordinates: 400 `INVALID_NEAR`; a city without sites with coordinates: 400 `UNKNOWN_CITY` with close names in `details.suggestions`; a name for places far apart: 400 `AMBIGUOUS_CITY`, with the qualified names. */
                near?: string;
                /** @description With `near`: the great-circle distance, in km or mi (`50km`, `30mi`, `0km`: the exact point); at most 500km; default 50km. Otherwise 400 `INVALID_RADIUS`. */
                radius?: string;
                /** @description With `near`, only sites of this recruitment status count: site status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                siteStatus?: string;
                /** @description Only trials linked to this id (the same study in another registry, either direction); a merged id counts as the trial it was merged into */
                linkedTo?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The counts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "field": "status",
                     *       "items": [
                     *         {
                     *           "value": "RECRUITING",
                     *           "count": 1284,
                     *           "label": {
                     *             "en": "Recruiting",
                     *             "ko": "모집 중"
                     *           }
                     *         },
                     *         {
                     *           "value": "COMPLETED",
                     *           "count": 977,
                     *           "label": {
                     *             "en": "Completed",
                     *             "ko": "완료"
                     *           }
                     *         },
                     *         {
                     *           "value": "ACTIVE_NOT_RECRUITING",
                     *           "count": 311,
                     *           "label": {
                     *             "en": "Active, not recruiting",
                     *             "ko": "진행 중(모집 완료)"
                     *           }
                     *         }
                     *       ],
                     *       "total": 2790
                     *     }
                     */
                    "application/json": components["schemas"]["FacetCounts"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `LIMIT_TOO_LARGE`: The limit is above the cap; `INVALID_NEAR`: The near centre is not a valid position; `INVALID_RADIUS`: The radius is not valid; `UNKNOWN_CITY`: No site with coordinates is in this city; `AMBIGUOUS_CITY`: The city name stands for several places */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "LIMIT_TOO_LARGE" | "INVALID_NEAR" | "INVALID_RADIUS" | "UNKNOWN_CITY" | "AMBIGUOUS_CITY";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listPlaces: {
        parameters: {
            query: {
                /** @description The start of a city name (ASCII letters in any case; what follows a comma is ignored): `seo`, `portl` */
                q: string;
                /** @description Items per page, 1…50 (default 10). Above 50: 400 LIMIT_TOO_LARGE. Here: the most places returned. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The places */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "name": "Seoul, Korea, Republic of",
                     *           "city": "Seoul",
                     *           "state": null,
                     *           "country": "Korea, Republic of",
                     *           "lat": 37.566,
                     *           "lon": 126.9784,
                     *           "sites": 14,
                     *           "trials": 11
                     *         },
                     *         {
                     *           "name": "Seongnam, Gyeonggi-do, Korea, Republic of",
                     *           "city": "Seongnam",
                     *           "state": "Gyeonggi-do",
                     *           "country": "Korea, Republic of",
                     *           "lat": 37.4386,
                     *           "lon": 127.1378,
                     *           "sites": 3,
                     *           "trials": 3
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description The places with the most trials first (ties by name) */
                        items: {
                            /** @description The city with its state and country (`Portland, Oregon, United States`): a value of `near` that stands for this place alone */
                            name: string;
                            city: string;
                            state: string | null;
                            country: string | null;
                            /** @description The mean of its sites' latitudes */
                            lat: number;
                            /** @description The mean of its sites' longitudes */
                            lon: number;
                            /** @description Sites with coordinates there */
                            sites: number;
                            /** @description Trials with a site there (removed ones included) */
                            trials: number;
                        }[];
                    };
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `LIMIT_TOO_LARGE`: The limit is above the cap */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "LIMIT_TOO_LARGE";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listChanges: {
        parameters: {
            query?: {
                /** @description Search, at most 200 characters and 12 terms; every term must match. Titles, official title, acronym, conditions, keywords, interventions, sponsor/institution, department, sites, places and ids; then the text people read: summaries, detailed descriptions, eligibility criteria and outcome measures. English words match whole words without case or accents, with simple word forms (`lymphomas` finds `lymphoma`); Korean (CJK) text matches as a substring (`림프종` finds "악성림프종의…", `천식` finds "소아천식"); words with digits and ids (`NCT01234567`, `KCT0000145`, `C130011`) match exactly. `"…"` is a phrase, `-word` excludes. Sorted by relevance unless `sort` says otherwise. Longer than the limit, or nothing to search for: 400. */
                q?: string;
                /** @description Status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                status?: string;
                /** @description Phase code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, PHASE1/PHASE2, PHASE2/PHASE3, NA, COHORT, CASE_ONLY, CASE_CONTROL, CROSS_SECTIONAL, OTHER, or phases joined by `/`; any other is a 400 naming these. */
                phase?: string;
                /** @description Study type code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS, OTHER; any other is a 400 naming these. */
                studyType?: string;
                /** @description Exact institution */
                institution?: string;
                /** @description Exact department */
                department?: string;
                /** @description One of the trial's conditions, exactly (ASCII letters in any case), as the `condition` facet lists them */
                condition?: string;
                /** @description One of the trial's countries, exactly (ASCII letters in any case), e.g. `South Korea` */
                country?: string;
                /** @description At least this many participants */
                enrollmentMin?: number;
                /** @description At most this many participants */
                enrollmentMax?: number;
                /** @description Whether the registry has posted results */
                hasResults?: boolean;
                /** @description Age in whole years: trials a person of this age (or older, up to `maxAge`) can take part in, by the eligibility ages (ClinicalTrials.gov minimum/maximum age, CRIS age range; a person of age N is N to just under N + 1 years old). A trial without an age bound matches on that side (KDCA iCReaT publishes no ages: its trials always match). Above `maxAge`: 400. */
                minAge?: number;
                /** @description Age in whole years: trials a person of this age (or younger, down to `minAge`) can take part in; `minAge=40&maxAge=40`: a 40-year-old. */
                maxAge?: number;
                /** @description Trials open to this sex, by the eligibility sex (ClinicalTrials.gov, CRIS): `FEMALE` or `MALE` match trials for that sex or for all, `ALL` only trials for all; a trial that gives none (all of KDCA iCReaT) matches. */
                sex?: "ALL" | "FEMALE" | "MALE";
                /** @description Started on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startFrom?: string;
                /** @description Started on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                startTo?: string;
                /** @description Completes (or completed) on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionFrom?: string;
                /** @description Completes (or completed) on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                completionTo?: string;
                /** @description `true`: trials open to enrolment now, overall status `RECRUITING` or `ENROLLING_BY_INVITATION` (not `NOT_YET_RECRUITING`); `false`: every other trial, those without a status too. */
                recruiting?: boolean;
                /** @description ClinicalTrials.gov's lead sponsor class, comma-separated for any of several (case-insensitive): NIH, FED, OTHER_GOV, INDIV, INDUSTRY, NETWORK, AMBIG, OTHER, UNKNOWN (`OTHER_GOV`: other government, `INDIV`: individual, `NETWORK`: a network, `AMBIG`: ambiguous). The Korean registries (KDCA iCReaT, CRIS) give no sponsor class: their trials never match. Any other value: 400. */
                sponsorClass?: string;
                /** @description Trials with a site within `radius` of here: `LAT,LON` in decimal degrees (`37.5665,126.978`), or a city the mirror knows, optionally with its state or country (`Seoul`, `Portland, Oregon`), placed at the mean of its sites' coordinates. Only sites with coordinates count: ClinicalTrials.gov gives them for most sites; the Korean registries (kr-icreat, CRIS) give none, so their trials never match `near` (find them with `q`, `institution` or `country`). Items then carry `nearestSite`; `sort=distance` orders by it. Bad coordinates: 400 `INVALID_NEAR`; a city without sites with coordinates: 400 `UNKNOWN_CITY` with close names in `details.suggestions`; a name for places far apart: 400 `AMBIGUOUS_CITY`, with the qualified names. */
                near?: string;
                /** @description With `near`: the great-circle distance, in km or mi (`50km`, `30mi`, `0km`: the exact point); at most 500km; default 50km. Otherwise 400 `INVALID_RADIUS`. */
                radius?: string;
                /** @description With `near`, only sites of this recruitment status count: site status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                siteStatus?: string;
                /** @description Opaque cursor from `nextCursor` of the previous page. Tampered or foreign cursors are refused. */
                cursor?: string;
                /** @description Items per page, 1…1000 (default 100). Above 1000: 400 LIMIT_TOO_LARGE. With an export format: the most events to export (default: all). With a feed format: entries per page, 1…200 (default 50). */
                limit?: number;
                /** @description json (a page), or csv / ndjson: every matching event after the cursor, streamed (`Accept: text/csv` or `application/x-ndjson` do the same); or a feed, newest first: atom (Atom 1.0, `Accept: application/atom+xml`), jsonfeed (JSON Feed 1.1, `application/feed+json`), rss (RSS 2.0, `application/rss+xml`). */
                format?: "json" | "csv" | "ndjson" | "atom" | "jsonfeed" | "rss";
                /** @description Only events of this source */
                source?: "kr-icreat" | "ctgov" | "cris";
                /** @description Only events with a change of one of these types (comma list): status, enrollment, dates, sites, results, eligibility, title, design, sponsor, conditions, interventions, outcomes, contacts, ids, other, registry */
                type?: string;
                /** @description `true`: only events that change something a reader cares about (every event but registry bookkeeping); `false`: only bookkeeping */
                material?: boolean;
                /** @description Only events at or after this ISO 8601 time (with a zone) */
                since?: string;
                /** @description Only events before this ISO 8601 time (with a zone) */
                until?: string;
                /** @description Only events of this trial (its registry id) */
                trial?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page (JSON, or a feed page) or every matching event (CSV, NDJSON) */
            200: {
                headers: {
                    /** @description Feeds: a weak tag of the page; it changes when the page does */
                    ETag?: string;
                    /** @description Feeds: the newest change the page shows (absent when it shows none) */
                    "Last-Modified"?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "seq": 147,
                     *           "trialId": "C110008",
                     *           "source": "kr-icreat",
                     *           "version": 1,
                     *           "kind": "removed",
                     *           "paths": [],
                     *           "occurredAt": "2024-06-03T04:00:31.000Z",
                     *           "runId": 56,
                     *           "changes": [],
                     *           "material": true,
                     *           "summary": {
                     *             "en": "No longer listed by the registry",
                     *             "ko": "등록처 목록에서 삭제됨"
                     *           }
                     *         },
                     *         {
                     *           "seq": 148,
                     *           "trialId": "NCT05102630",
                     *           "source": "ctgov",
                     *           "version": 4,
                     *           "kind": "updated",
                     *           "paths": [
                     *             "protocolSection.designModule.enrollmentInfo.count",
                     *             "protocolSection.designModule.enrollmentInfo.type",
                     *             "protocolSection.statusModule.overallStatus"
                     *           ],
                     *           "occurredAt": "2024-06-03T05:12:41.000Z",
                     *           "runId": 57,
                     *           "changes": [
                     *             {
                     *               "type": "status",
                     *               "field": "status",
                     *               "from": "RECRUITING",
                     *               "to": "ACTIVE_NOT_RECRUITING",
                     *               "fromLabel": {
                     *                 "en": "Recruiting",
                     *                 "ko": "모집 중"
                     *               },
                     *               "toLabel": {
                     *                 "en": "Active, not recruiting",
                     *                 "ko": "진행 중(모집 완료)"
                     *               },
                     *               "summary": {
                     *                 "en": "Status: Recruiting → Active, not recruiting",
                     *                 "ko": "상태: 모집 중 → 진행 중(모집 완료)"
                     *               }
                     *             },
                     *             {
                     *               "type": "enrollment",
                     *               "field": "enrollment",
                     *               "from": {
                     *                 "count": 400,
                     *                 "type": "ESTIMATED"
                     *               },
                     *               "to": {
                     *                 "count": 412,
                     *                 "type": "ACTUAL"
                     *               },
                     *               "summary": {
                     *                 "en": "Enrollment: 400 (estimated) → 412 (actual)",
                     *                 "ko": "대상자 수: 400 (예정) → 412 (실제)"
                     *               }
                     *             }
                     *           ],
                     *           "material": true,
                     *           "summary": {
                     *             "en": "Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)",
                     *             "ko": "상태: 모집 중 → 진행 중(모집 완료); 대상자 수: 400 (예정) → 412 (실제)"
                     *           }
                     *         }
                     *       ],
                     *       "nextCursor": "eyJrIjoiY2hhbmdlcyIsInAiOnsicyI6MTQ4fX0.kq9Xw1ZbR0m3v7cT2yLp4A",
                     *       "hasMore": false
                     *     }
                     */
                    "application/json": components["schemas"]["ChangePage"];
                    /**
                     * @example seq,occurredAt,trialId,source,version,kind,material,types,summaryEn,summaryKo,changes,paths,runId
                     *     147,2024-06-03T04:00:31.000Z,C110008,kr-icreat,1,removed,true,,No longer listed by the registry,등록처 목록에서 삭제됨,[],,56
                     */
                    "text/csv": string;
                    /** @example {"seq":148,"trialId":"NCT05102630","source":"ctgov","version":4,"kind":"updated","paths":["protocolSection.designModule.enrollmentInfo.count","protocolSection.designModule.enrollmentInfo.type","protocolSection.statusModule.overallStatus"],"occurredAt":"2024-06-03T05:12:41.000Z","runId":57,"changes":[{"type":"status","field":"status","from":"RECRUITING","to":"ACTIVE_NOT_RECRUITING","fromLabel":{"en":"Recruiting","ko":"모집 중"},"toLabel":{"en":"Active, not recruiting","ko":"진행 중(모집 완료)"},"summary":{"en":"Status: Recruiting → Active, not recruiting","ko":"상태: 모집 중 → 진행 중(모집 완료)"}},{"type":"enrollment","field":"enrollment","from":{"count":400,"type":"ESTIMATED"},"to":{"count":412,"type":"ACTUAL"},"summary":{"en":"Enrollment: 400 (estimated) → 412 (actual)","ko":"대상자 수: 400 (예정) → 412 (실제)"}}],"material":true,"summary":{"en":"Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)","ko":"상태: 모집 중 → 진행 중(모집 완료); 대상자 수: 400 (예정) → 412 (실제)"}} */
                    "application/x-ndjson": string;
                    /**
                     * @example <?xml version="1.0" encoding="utf-8"?>
                     *     <feed xmlns="http://www.w3.org/2005/Atom"><id>tag:trialwatch,2026:changes</id><title type="text">trialwatch changes</title><updated>2024-06-03T05:12:41.000Z</updated><author><name>trialwatch</name></author><link rel="self" href="https://trialwatch.example.org/api/v1/changes?format=atom&amp;limit=1" type="application/atom+xml"/><link rel="next" href="https://trialwatch.example.org/api/v1/changes?format=atom&amp;limit=1&amp;cursor=eyJrIjoiY2hhbmdlLWZlZWQiLCJwIjp7ImIiOjE0OH19.cpCLA1EPChg9Fo1T1R2KCQ" type="application/atom+xml"/><entry><id>tag:trialwatch,2026:changes/148/NCT05102630</id><title type="text">Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma: Status: Recruiting → Active, not recruiting</title><updated>2024-06-03T05:12:41.000Z</updated><published>2024-06-03T05:12:41.000Z</published><link rel="alternate" href="https://trialwatch.example.org/#/trials/NCT05102630" type="text/html"/><link rel="related" href="https://clinicaltrials.gov/study/NCT05102630" type="text/html"/><content type="text">Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)
                     *
                     *     NCT05102630 (ctgov), version 4, updated</content></entry></feed>
                     */
                    "application/atom+xml": string;
                    /** @example {"version":"https://jsonfeed.org/version/1.1","title":"trialwatch changes","home_page_url":"https://trialwatch.example.org/","feed_url":"https://trialwatch.example.org/api/v1/changes?format=jsonfeed&limit=1","next_url":"https://trialwatch.example.org/api/v1/changes?format=jsonfeed&limit=1&cursor=eyJrIjoiY2hhbmdlLWZlZWQiLCJwIjp7ImIiOjE0OH19.cpCLA1EPChg9Fo1T1R2KCQ","items":[{"id":"tag:trialwatch,2026:changes/148/NCT05102630","url":"https://trialwatch.example.org/#/trials/NCT05102630","external_url":"https://clinicaltrials.gov/study/NCT05102630","title":"Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma: Status: Recruiting → Active, not recruiting","content_text":"Status: Recruiting → Active, not recruiting; Enrollment: 400 (estimated) → 412 (actual)\n\nNCT05102630 (ctgov), version 4, updated","date_published":"2024-06-03T05:12:41.000Z","_trialwatch":{"seq":148,"trialId":"NCT05102630","source":"ctgov","kind":"updated","version":4}}]} */
                    "application/feed+json": string;
                    /**
                     * @example <?xml version="1.0" encoding="utf-8"?>
                     *     <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>trialwatch changes</title><link>https://trialwatch.example.org/</link><description>Changes to the clinical trials trialwatch mirrors that match this query, newest first.</description><atom:link rel="self" type="application/rss+xml" href="https://trialwatch.example.org/api/v1/changes?format=rss&amp;limit=1"/><item><title>Budesonide-Formoterol as Needed Versus Daily Budesonide in Adults With Mild Asthma: Status: Recruiting → Active, not recruiting</title><link>https://trialwatch.example.org/#/trials/NCT05102630</link><guid isPermaLink="false">tag:trialwatch,2026:changes/148/NCT05102630</guid><pubDate>Mon, 03 Jun 2024 05:12:41 GMT</pubDate></item></channel></rss>
                     */
                    "application/rss+xml": string;
                };
            };
            /** @description Feeds: not modified since the ETag or time sent */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `INVALID_CURSOR`: The cursor is not valid; `LIMIT_TOO_LARGE`: The limit is above the cap; `INVALID_NEAR`: The near centre is not a valid position; `INVALID_RADIUS`: The radius is not valid; `UNKNOWN_CITY`: No site with coordinates is in this city; `AMBIGUOUS_CITY`: The city name stands for several places */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "INVALID_CURSOR" | "LIMIT_TOO_LARGE" | "INVALID_NEAR" | "INVALID_RADIUS" | "UNKNOWN_CITY" | "AMBIGUOUS_CITY";
                    };
                };
            };
            /** @description `NOT_ACCEPTABLE`: Not acceptable */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "NOT_ACCEPTABLE";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listSources: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sources */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "ctgov",
                     *           "name": "ClinicalTrials.gov",
                     *           "enabled": true,
                     *           "configured": true,
                     *           "missing": [],
                     *           "schedule": "10 5 * * *",
                     *           "timeZone": "UTC",
                     *           "nextRunAt": "2024-06-04T05:10:00.000Z",
                     *           "trials": {
                     *             "total": 2790,
                     *             "active": 2781,
                     *             "removed": 9
                     *           },
                     *           "lastRun": {
                     *             "id": 57,
                     *             "source": "ctgov",
                     *             "mode": "incremental",
                     *             "trigger": "schedule",
                     *             "status": "succeeded",
                     *             "startedAt": "2024-06-03T05:10:00.000Z",
                     *             "finishedAt": "2024-06-03T05:13:26.000Z",
                     *             "heartbeatAt": "2024-06-03T05:13:26.000Z",
                     *             "fetched": 38,
                     *             "created": 2,
                     *             "updated": 9,
                     *             "unchanged": 27,
                     *             "removed": 0,
                     *             "restored": 0,
                     *             "skipped": 0,
                     *             "skippedReasons": [],
                     *             "errorCode": null,
                     *             "errorMessage": null,
                     *             "info": {
                     *               "since": "2024-06-02",
                     *               "upstreamTotal": 38
                     *             }
                     *           },
                     *           "lastSuccessAt": "2024-06-03T05:13:26.000Z"
                     *         },
                     *         {
                     *           "id": "cris",
                     *           "name": "CRIS",
                     *           "enabled": false,
                     *           "configured": false,
                     *           "missing": [
                     *             "CRIS_SERVICE_KEY"
                     *           ],
                     *           "schedule": "0 5 * * *",
                     *           "timeZone": "Asia/Seoul",
                     *           "nextRunAt": null,
                     *           "trials": {
                     *             "total": 0,
                     *             "active": 0,
                     *             "removed": 0
                     *           },
                     *           "lastRun": null,
                     *           "lastSuccessAt": null
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["SourceList"];
                };
            };
            /** @description `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    getSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Source id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The source */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "ctgov",
                     *       "name": "ClinicalTrials.gov",
                     *       "enabled": true,
                     *       "configured": true,
                     *       "missing": [],
                     *       "schedule": "10 5 * * *",
                     *       "timeZone": "UTC",
                     *       "nextRunAt": "2024-06-04T05:10:00.000Z",
                     *       "trials": {
                     *         "total": 2790,
                     *         "active": 2781,
                     *         "removed": 9
                     *       },
                     *       "lastRun": {
                     *         "id": 57,
                     *         "source": "ctgov",
                     *         "mode": "incremental",
                     *         "trigger": "schedule",
                     *         "status": "succeeded",
                     *         "startedAt": "2024-06-03T05:10:00.000Z",
                     *         "finishedAt": "2024-06-03T05:13:26.000Z",
                     *         "heartbeatAt": "2024-06-03T05:13:26.000Z",
                     *         "fetched": 38,
                     *         "created": 2,
                     *         "updated": 9,
                     *         "unchanged": 27,
                     *         "removed": 0,
                     *         "restored": 0,
                     *         "skipped": 0,
                     *         "skippedReasons": [],
                     *         "errorCode": null,
                     *         "errorMessage": null,
                     *         "info": {
                     *           "since": "2024-06-02",
                     *           "upstreamTotal": 38
                     *         }
                     *       },
                     *       "lastSuccessAt": "2024-06-03T05:13:26.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Source"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `SOURCE_NOT_FOUND`: Source not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "SOURCE_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listHarvests: {
        parameters: {
            query?: {
                source?: "kr-icreat" | "ctgov" | "cris";
                status?: "running" | "succeeded" | "partial" | "failed" | "skipped" | "interrupted" | "abandoned";
                /** @description Items per page, 1…100 (default 20). Above 100: 400 LIMIT_TOO_LARGE. */
                limit?: number;
                /** @description Opaque cursor from `nextCursor` of the previous page. Tampered or foreign cursors are refused. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": 57,
                     *           "source": "ctgov",
                     *           "mode": "incremental",
                     *           "trigger": "schedule",
                     *           "status": "succeeded",
                     *           "startedAt": "2024-06-03T05:10:00.000Z",
                     *           "finishedAt": "2024-06-03T05:13:26.000Z",
                     *           "heartbeatAt": "2024-06-03T05:13:26.000Z",
                     *           "fetched": 38,
                     *           "created": 2,
                     *           "updated": 9,
                     *           "unchanged": 27,
                     *           "removed": 0,
                     *           "restored": 0,
                     *           "skipped": 0,
                     *           "skippedReasons": [],
                     *           "errorCode": null,
                     *           "errorMessage": null,
                     *           "info": {
                     *             "since": "2024-06-02",
                     *             "upstreamTotal": 38
                     *           }
                     *         }
                     *       ],
                     *       "nextCursor": "eyJrIjoiaGFydmVzdHMiLCJwIjp7ImkiOjU3fX0.a8Jc2mQ0xT4vN6pR1sW3zA"
                     *     }
                     */
                    "application/json": components["schemas"]["HarvestPage"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `INVALID_CURSOR`: The cursor is not valid; `LIMIT_TOO_LARGE`: The limit is above the cap */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "INVALID_CURSOR" | "LIMIT_TOO_LARGE";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    startHarvest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description The source to harvest
                     * @enum {string}
                     */
                    source: "kr-icreat" | "ctgov" | "cris";
                    /**
                     * @description incremental (default; a full listing where the source has no incremental mode) or full
                     * @default incremental
                     * @enum {string}
                     */
                    mode?: "incremental" | "full";
                };
            };
        };
        responses: {
            /** @description Started */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "runId": 58,
                     *       "source": "ctgov",
                     *       "mode": "incremental",
                     *       "status": "running"
                     *     }
                     */
                    "application/json": components["schemas"]["StartedHarvest"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `HARVEST_IN_PROGRESS`: A harvest of this source is already running; `SOURCE_NOT_CONFIGURED`: The source is not configured */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "HARVEST_IN_PROGRESS" | "SOURCE_NOT_CONFIGURED";
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `NOT_READY`: The service is not ready; `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "NOT_READY" | "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    getHarvest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 57,
                     *       "source": "ctgov",
                     *       "mode": "incremental",
                     *       "trigger": "schedule",
                     *       "status": "succeeded",
                     *       "startedAt": "2024-06-03T05:10:00.000Z",
                     *       "finishedAt": "2024-06-03T05:13:26.000Z",
                     *       "heartbeatAt": "2024-06-03T05:13:26.000Z",
                     *       "fetched": 38,
                     *       "created": 2,
                     *       "updated": 9,
                     *       "unchanged": 27,
                     *       "removed": 0,
                     *       "restored": 0,
                     *       "skipped": 0,
                     *       "skippedReasons": [],
                     *       "errorCode": null,
                     *       "errorMessage": null,
                     *       "info": {
                     *         "since": "2024-06-02",
                     *         "upstreamTotal": 38
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["HarvestRun"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `RUN_NOT_FOUND`: Harvest run not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RUN_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoints, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "ep_9c1d2e7f4a6b",
                     *           "url": "https://hooks.example.org/trialwatch",
                     *           "filter": {
                     *             "type": "status",
                     *             "material": true,
                     *             "country": "South Korea"
                     *           },
                     *           "types": [
                     *             "trial.created",
                     *             "trial.updated",
                     *             "trial.removed",
                     *             "trial.restored"
                     *           ],
                     *           "description": "Status changes of trials with a site in Korea",
                     *           "paused": false,
                     *           "disabledAt": null,
                     *           "disabledReason": null,
                     *           "position": 148,
                     *           "lag": 0,
                     *           "failingSince": null,
                     *           "deliveredCount": 12,
                     *           "failedCount": 0,
                     *           "failedAttempts": 1,
                     *           "createdAt": "2024-05-20T08:30:00.000Z",
                     *           "updatedAt": "2024-05-20T08:30:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description https, or http on a host in WEBHOOK_ALLOW_HTTP_HOSTS; loopback, private, link-local and metadata addresses are refused (400 WEBHOOK_URL_FORBIDDEN) unless WEBHOOK_ALLOW_PRIVATE=true */
                    url: string;
                    /** @description The events to deliver: the filter parameters of `GET /api/v1/changes` (type, material, trial, source, since, until, q and the content filters), as JSON values, checked exactly as that route checks them. `{}`: every event. */
                    filter?: {
                        /** @description Search, at most 200 characters and 12 terms; every term must match. Titles, official title, acronym, conditions, keywords, interventions, sponsor/institution, department, sites, places and ids; then the text people read: summaries, detailed descriptions, eligibility criteria and outcome measures. English words match whole words without case or accents, with simple word forms (`lymphomas` finds `lymphoma`); Korean (CJK) text matches as a substring (`림프종` finds "악성림프종의…", `천식` finds "소아천식"); words with digits and ids (`NCT01234567`, `KCT0000145`, `C130011`) match exactly. `"…"` is a phrase, `-word` excludes. Sorted by relevance unless `sort` says otherwise. Longer than the limit, or nothing to search for: 400. */
                        q?: string;
                        /** @description Status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                        status?: string;
                        /** @description Phase code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, PHASE1/PHASE2, PHASE2/PHASE3, NA, COHORT, CASE_ONLY, CASE_CONTROL, CROSS_SECTIONAL, OTHER, or phases joined by `/`; any other is a 400 naming these. */
                        phase?: string;
                        /** @description Study type code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS, OTHER; any other is a 400 naming these. */
                        studyType?: string;
                        /** @description Exact institution */
                        institution?: string;
                        /** @description Exact department */
                        department?: string;
                        /** @description One of the trial's conditions, exactly (ASCII letters in any case), as the `condition` facet lists them */
                        condition?: string;
                        /** @description One of the trial's countries, exactly (ASCII letters in any case), e.g. `South Korea` */
                        country?: string;
                        /** @description At least this many participants */
                        enrollmentMin?: number;
                        /** @description At most this many participants */
                        enrollmentMax?: number;
                        /** @description Whether the registry has posted results */
                        hasResults?: boolean;
                        /** @description Age in whole years: trials a person of this age (or older, up to `maxAge`) can take part in, by the eligibility ages (ClinicalTrials.gov minimum/maximum age, CRIS age range; a person of age N is N to just under N + 1 years old). A trial without an age bound matches on that side (KDCA iCReaT publishes no ages: its trials always match). Above `maxAge`: 400. */
                        minAge?: number;
                        /** @description Age in whole years: trials a person of this age (or younger, down to `minAge`) can take part in; `minAge=40&maxAge=40`: a 40-year-old. */
                        maxAge?: number;
                        /**
                         * @description Trials open to this sex, by the eligibility sex (ClinicalTrials.gov, CRIS): `FEMALE` or `MALE` match trials for that sex or for all, `ALL` only trials for all; a trial that gives none (all of KDCA iCReaT) matches.
                         * @enum {string}
                         */
                        sex?: "ALL" | "FEMALE" | "MALE";
                        /** @description Started on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                        startFrom?: string;
                        /** @description Started on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                        startTo?: string;
                        /** @description Completes (or completed) on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                        completionFrom?: string;
                        /** @description Completes (or completed) on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                        completionTo?: string;
                        /** @description `true`: trials open to enrolment now, overall status `RECRUITING` or `ENROLLING_BY_INVITATION` (not `NOT_YET_RECRUITING`); `false`: every other trial, those without a status too. */
                        recruiting?: boolean;
                        /** @description ClinicalTrials.gov's lead sponsor class, comma-separated for any of several (case-insensitive): NIH, FED, OTHER_GOV, INDIV, INDUSTRY, NETWORK, AMBIG, OTHER, UNKNOWN (`OTHER_GOV`: other government, `INDIV`: individual, `NETWORK`: a network, `AMBIG`: ambiguous). The Korean registries (KDCA iCReaT, CRIS) give no sponsor class: their trials never match. Any other value: 400. */
                        sponsorClass?: string;
                        /** @description Trials with a site within `radius` of here: `LAT,LON` in decimal degrees (`37.5665,126.978`), or a city the mirror knows, optionally with its state or country (`Seoul`, `Portland, Oregon`), placed at the mean of its sites' coordinates. Only sites with coordinates count: ClinicalTrials.gov gives them for most sites; the Korean registries (kr-icreat, CRIS) give none, so their trials never match `near` (find them with `q`, `institution` or `country`). Items then carry `nearestSite`; `sort=distance` orders by it. Bad coordinates: 400 `INVALID_NEAR`; a city without sites with coordinates: 400 `UNKNOWN_CITY` with close names in `details.suggestions`; a name for places far apart: 400 `AMBIGUOUS_CITY`, with the qualified names. */
                        near?: string;
                        /** @description With `near`: the great-circle distance, in km or mi (`50km`, `30mi`, `0km`: the exact point); at most 500km; default 50km. Otherwise 400 `INVALID_RADIUS`. */
                        radius?: string;
                        /** @description With `near`, only sites of this recruitment status count: site status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                        siteStatus?: string;
                        /**
                         * @description Only events of this source
                         * @enum {string}
                         */
                        source?: "kr-icreat" | "ctgov" | "cris";
                        /** @description Only events with a change of one of these types (comma list): status, enrollment, dates, sites, results, eligibility, title, design, sponsor, conditions, interventions, outcomes, contacts, ids, other, registry */
                        type?: string;
                        /** @description `true`: only events that change something a reader cares about (every event but registry bookkeeping); `false`: only bookkeeping */
                        material?: boolean;
                        /** @description Only events at or after this ISO 8601 time (with a zone) */
                        since?: string;
                        /** @description Only events before this ISO 8601 time (with a zone) */
                        until?: string;
                        /** @description Only events of this trial (its registry id) */
                        trial?: string;
                    };
                    /** @description Event types to deliver (default: all): trial.created, trial.updated, trial.removed, trial.restored */
                    types?: ("trial.created" | "trial.updated" | "trial.removed" | "trial.restored")[];
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Created, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "ep_9c1d2e7f4a6b",
                     *       "url": "https://hooks.example.org/trialwatch",
                     *       "filter": {
                     *         "type": "status",
                     *         "material": true,
                     *         "country": "South Korea"
                     *       },
                     *       "types": [
                     *         "trial.created",
                     *         "trial.updated",
                     *         "trial.removed",
                     *         "trial.restored"
                     *       ],
                     *       "description": "Status changes of trials with a site in Korea",
                     *       "paused": false,
                     *       "disabledAt": null,
                     *       "disabledReason": null,
                     *       "position": 131,
                     *       "lag": 0,
                     *       "failingSince": null,
                     *       "deliveredCount": 0,
                     *       "failedCount": 0,
                     *       "failedAttempts": 0,
                     *       "createdAt": "2024-05-20T08:30:00.000Z",
                     *       "updatedAt": "2024-05-20T08:30:00.000Z",
                     *       "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2CPnm0XWQ6M="
                     *     }
                     */
                    "application/json": components["schemas"]["CreatedWebhook"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `WEBHOOK_URL_FORBIDDEN`: The webhook URL is not allowed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "WEBHOOK_URL_FORBIDDEN";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "ep_9c1d2e7f4a6b",
                     *       "url": "https://hooks.example.org/trialwatch",
                     *       "filter": {
                     *         "type": "status",
                     *         "material": true,
                     *         "country": "South Korea"
                     *       },
                     *       "types": [
                     *         "trial.created",
                     *         "trial.updated",
                     *         "trial.removed",
                     *         "trial.restored"
                     *       ],
                     *       "description": "Status changes of trials with a site in Korea",
                     *       "paused": false,
                     *       "disabledAt": null,
                     *       "disabledReason": null,
                     *       "position": 148,
                     *       "lag": 0,
                     *       "failingSince": null,
                     *       "deliveredCount": 12,
                     *       "failedCount": 0,
                     *       "failedAttempts": 1,
                     *       "createdAt": "2024-05-20T08:30:00.000Z",
                     *       "updatedAt": "2024-05-20T08:30:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `WEBHOOK_NOT_FOUND`: Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "WEBHOOK_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `WEBHOOK_NOT_FOUND`: Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "WEBHOOK_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description https, or http on a host in WEBHOOK_ALLOW_HTTP_HOSTS; loopback, private, link-local and metadata addresses are refused (400 WEBHOOK_URL_FORBIDDEN) unless WEBHOOK_ALLOW_PRIVATE=true */
                    url?: string;
                    /** @description The events to deliver: the filter parameters of `GET /api/v1/changes` (type, material, trial, source, since, until, q and the content filters), as JSON values, checked exactly as that route checks them. `{}`: every event. */
                    filter?: {
                        /** @description Search, at most 200 characters and 12 terms; every term must match. Titles, official title, acronym, conditions, keywords, interventions, sponsor/institution, department, sites, places and ids; then the text people read: summaries, detailed descriptions, eligibility criteria and outcome measures. English words match whole words without case or accents, with simple word forms (`lymphomas` finds `lymphoma`); Korean (CJK) text matches as a substring (`림프종` finds "악성림프종의…", `천식` finds "소아천식"); words with digits and ids (`NCT01234567`, `KCT0000145`, `C130011`) match exactly. `"…"` is a phrase, `-word` excludes. Sorted by relevance unless `sort` says otherwise. Longer than the limit, or nothing to search for: 400. */
                        q?: string;
                        /** @description Status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                        status?: string;
                        /** @description Phase code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, PHASE1/PHASE2, PHASE2/PHASE3, NA, COHORT, CASE_ONLY, CASE_CONTROL, CROSS_SECTIONAL, OTHER, or phases joined by `/`; any other is a 400 naming these. */
                        phase?: string;
                        /** @description Study type code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS, OTHER; any other is a 400 naming these. */
                        studyType?: string;
                        /** @description Exact institution */
                        institution?: string;
                        /** @description Exact department */
                        department?: string;
                        /** @description One of the trial's conditions, exactly (ASCII letters in any case), as the `condition` facet lists them */
                        condition?: string;
                        /** @description One of the trial's countries, exactly (ASCII letters in any case), e.g. `South Korea` */
                        country?: string;
                        /** @description At least this many participants */
                        enrollmentMin?: number;
                        /** @description At most this many participants */
                        enrollmentMax?: number;
                        /** @description Whether the registry has posted results */
                        hasResults?: boolean;
                        /** @description Age in whole years: trials a person of this age (or older, up to `maxAge`) can take part in, by the eligibility ages (ClinicalTrials.gov minimum/maximum age, CRIS age range; a person of age N is N to just under N + 1 years old). A trial without an age bound matches on that side (KDCA iCReaT publishes no ages: its trials always match). Above `maxAge`: 400. */
                        minAge?: number;
                        /** @description Age in whole years: trials a person of this age (or younger, down to `minAge`) can take part in; `minAge=40&maxAge=40`: a 40-year-old. */
                        maxAge?: number;
                        /**
                         * @description Trials open to this sex, by the eligibility sex (ClinicalTrials.gov, CRIS): `FEMALE` or `MALE` match trials for that sex or for all, `ALL` only trials for all; a trial that gives none (all of KDCA iCReaT) matches.
                         * @enum {string}
                         */
                        sex?: "ALL" | "FEMALE" | "MALE";
                        /** @description Started on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                        startFrom?: string;
                        /** @description Started on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                        startTo?: string;
                        /** @description Completes (or completed) on or after this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                        completionFrom?: string;
                        /** @description Completes (or completed) on or before this date (`YYYY-MM-DD`, inclusive). A month or year the registry gives alone counts as its first day (`2020-05`: 2020-05-01); trials without the date are left out. Not a real date, or after the range's other end: 400. */
                        completionTo?: string;
                        /** @description `true`: trials open to enrolment now, overall status `RECRUITING` or `ENROLLING_BY_INVITATION` (not `NOT_YET_RECRUITING`); `false`: every other trial, those without a status too. */
                        recruiting?: boolean;
                        /** @description ClinicalTrials.gov's lead sponsor class, comma-separated for any of several (case-insensitive): NIH, FED, OTHER_GOV, INDIV, INDUSTRY, NETWORK, AMBIG, OTHER, UNKNOWN (`OTHER_GOV`: other government, `INDIV`: individual, `NETWORK`: a network, `AMBIG`: ambiguous). The Korean registries (KDCA iCReaT, CRIS) give no sponsor class: their trials never match. Any other value: 400. */
                        sponsorClass?: string;
                        /** @description Trials with a site within `radius` of here: `LAT,LON` in decimal degrees (`37.5665,126.978`), or a city the mirror knows, optionally with its state or country (`Seoul`, `Portland, Oregon`), placed at the mean of its sites' coordinates. Only sites with coordinates count: ClinicalTrials.gov gives them for most sites; the Korean registries (kr-icreat, CRIS) give none, so their trials never match `near` (find them with `q`, `institution` or `country`). Items then carry `nearestSite`; `sort=distance` orders by it. Bad coordinates: 400 `INVALID_NEAR`; a city without sites with coordinates: 400 `UNKNOWN_CITY` with close names in `details.suggestions`; a name for places far apart: 400 `AMBIGUOUS_CITY`, with the qualified names. */
                        near?: string;
                        /** @description With `near`: the great-circle distance, in km or mi (`50km`, `30mi`, `0km`: the exact point); at most 500km; default 50km. Otherwise 400 `INVALID_RADIUS`. */
                        radius?: string;
                        /** @description With `near`, only sites of this recruitment status count: site status code(s), comma-separated for any of several (case-insensitive; joined codes such as `PHASE1/PHASE2` as the facets list them). One of NOT_YET_RECRUITING, RECRUITING, ENROLLING_BY_INVITATION, ACTIVE_NOT_RECRUITING, SUSPENDED, TERMINATED, COMPLETED, WITHDRAWN, UNKNOWN, AVAILABLE, NO_LONGER_AVAILABLE, TEMPORARILY_NOT_AVAILABLE, APPROVED_FOR_MARKETING, WITHHELD; any other is a 400 naming these. */
                        siteStatus?: string;
                        /**
                         * @description Only events of this source
                         * @enum {string}
                         */
                        source?: "kr-icreat" | "ctgov" | "cris";
                        /** @description Only events with a change of one of these types (comma list): status, enrollment, dates, sites, results, eligibility, title, design, sponsor, conditions, interventions, outcomes, contacts, ids, other, registry */
                        type?: string;
                        /** @description `true`: only events that change something a reader cares about (every event but registry bookkeeping); `false`: only bookkeeping */
                        material?: boolean;
                        /** @description Only events at or after this ISO 8601 time (with a zone) */
                        since?: string;
                        /** @description Only events before this ISO 8601 time (with a zone) */
                        until?: string;
                        /** @description Only events of this trial (its registry id) */
                        trial?: string;
                    };
                    /** @description Event types to deliver (default: all): trial.created, trial.updated, trial.removed, trial.restored */
                    types?: ("trial.created" | "trial.updated" | "trial.removed" | "trial.restored")[];
                    description?: string;
                    /** @description `true` pauses deliveries; `false` resumes them, and enables an endpoint that was disabled */
                    paused?: boolean;
                };
            };
        };
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "ep_9c1d2e7f4a6b",
                     *       "url": "https://hooks.example.org/trialwatch",
                     *       "filter": {
                     *         "type": "status",
                     *         "material": true,
                     *         "country": "South Korea"
                     *       },
                     *       "types": [
                     *         "trial.created",
                     *         "trial.updated",
                     *         "trial.removed",
                     *         "trial.restored"
                     *       ],
                     *       "description": "Status changes of trials with a site in Korea",
                     *       "paused": true,
                     *       "disabledAt": null,
                     *       "disabledReason": null,
                     *       "position": 148,
                     *       "lag": 0,
                     *       "failingSince": null,
                     *       "deliveredCount": 12,
                     *       "failedCount": 0,
                     *       "failedAttempts": 1,
                     *       "createdAt": "2024-05-20T08:30:00.000Z",
                     *       "updatedAt": "2024-06-03T09:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `WEBHOOK_URL_FORBIDDEN`: The webhook URL is not allowed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "WEBHOOK_URL_FORBIDDEN";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `WEBHOOK_NOT_FOUND`: Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "WEBHOOK_NOT_FOUND";
                    };
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: The request body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "PAYLOAD_TOO_LARGE";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Items per page, 1…100 (default 50). Above 100: 400 LIMIT_TOO_LARGE. */
                limit?: number;
                /** @description Opaque cursor from `nextCursor` of the previous page. Tampered or foreign cursors are refused. */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": 412,
                     *           "endpointId": "ep_9c1d2e7f4a6b",
                     *           "messageId": "msg_ep_9c1d2e7f4a6b_148",
                     *           "trigger": "feed",
                     *           "type": "trial.updated",
                     *           "changeSeq": 148,
                     *           "status": "succeeded",
                     *           "attempts": 1,
                     *           "responseCode": 200,
                     *           "latencyMs": 87,
                     *           "error": null,
                     *           "nextAttemptAt": null,
                     *           "createdAt": "2024-06-03T05:13:27.000Z",
                     *           "updatedAt": "2024-06-03T05:13:27.000Z"
                     *         }
                     *       ],
                     *       "nextCursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["DeliveryPage"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter; `INVALID_CURSOR`: The cursor is not valid; `LIMIT_TOO_LARGE`: The limit is above the cap */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER" | "INVALID_CURSOR" | "LIMIT_TOO_LARGE";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `WEBHOOK_NOT_FOUND`: Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "WEBHOOK_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    replayWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                deliveryId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 413,
                     *       "endpointId": "ep_9c1d2e7f4a6b",
                     *       "messageId": "msg_ep_9c1d2e7f4a6b_148",
                     *       "trigger": "replay",
                     *       "type": "trial.updated",
                     *       "changeSeq": 148,
                     *       "status": "pending",
                     *       "attempts": 0,
                     *       "responseCode": null,
                     *       "latencyMs": null,
                     *       "error": null,
                     *       "nextAttemptAt": "2024-06-03T09:00:00.000Z",
                     *       "createdAt": "2024-06-03T09:00:00.000Z",
                     *       "updatedAt": "2024-06-03T09:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `WEBHOOK_NOT_FOUND`: Webhook endpoint not found; `DELIVERY_NOT_FOUND`: Webhook delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "WEBHOOK_NOT_FOUND" | "DELIVERY_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    pingWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 414,
                     *       "endpointId": "ep_9c1d2e7f4a6b",
                     *       "messageId": "msg_ep_9c1d2e7f4a6b_ping_Q7eFGMmo",
                     *       "trigger": "ping",
                     *       "type": "webhook.ping",
                     *       "changeSeq": null,
                     *       "status": "pending",
                     *       "attempts": 0,
                     *       "responseCode": null,
                     *       "latencyMs": null,
                     *       "error": null,
                     *       "nextAttemptAt": "2024-06-03T09:00:00.000Z",
                     *       "createdAt": "2024-06-03T09:00:00.000Z",
                     *       "updatedAt": "2024-06-03T09:00:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `WEBHOOK_NOT_FOUND`: Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "WEBHOOK_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "ep_9c1d2e7f4a6b",
                     *       "secret": "whsec_3nO1c2Vx9hQ0bqW6mJzR8yKfT4uLpA7sDeG5iHkXwYo=",
                     *       "previousSecretsExpireAt": "2024-06-04T09:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        /** @description The endpoint */
                        id: string;
                        /** @description The new signing secret (`whsec_` + base64 of 32 random bytes), shown only in this answer; deliveries are signed with it from now on */
                        secret: string;
                        /**
                         * Format: date-time
                         * @description Until then (WEBHOOK_SECRET_OVERLAP_MS after the rotation) deliveries are signed with the previous secret too: `webhook-signature` lists one `v1,…` per secret, space-separated, so a receiver holding either verifies
                         */
                        previousSecretsExpireAt: string;
                    };
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description `UNAUTHORIZED`: An admin token is required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "UNAUTHORIZED";
                    };
                };
            };
            /** @description `FORBIDDEN`: The admin token is wrong; `ADMIN_DISABLED`: Admin routes are disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "FORBIDDEN" | "ADMIN_DISABLED";
                    };
                };
            };
            /** @description `WEBHOOK_NOT_FOUND`: Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "WEBHOOK_NOT_FOUND";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    compatGetTrial: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 과제번호, e.g. C130011 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "RESULT": {
                     *         "research_number": "C110007",
                     *         "research_name": "악성림프종의 임상양상과 항암 화학요법의 치료 성적 조사 및 예후 예측 지표 분석, retrospective study",
                     *         "research_subject_count": 200,
                     *         "research_period": null,
                     *         "research_created_at": "2024.06.01 09:00:00",
                     *         "research_updated_at": "2024.06.03 09:00:00",
                     *         "department_name": "Hematology",
                     *         "hospital_name": "가톨릭대 서울성모병원",
                     *         "type_name": "관찰연구",
                     *         "scope_name": "단일기관",
                     *         "stage_name": "Case-only"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["CompatSearchResult"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description No record has this number */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        MESSAGE: "NOT LIST";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
    compatListChanged: {
        parameters: {
            query?: {
                /** @description Records to skip (default 0) */
                skip?: number;
                /** @description Records to return, 1…1000 (default 100) */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The records */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "RESULT": [
                     *         {
                     *           "research_number": "C110007",
                     *           "research_name": "악성림프종의 임상양상과 항암 화학요법의 치료 성적 조사 및 예후 예측 지표 분석, retrospective study",
                     *           "research_subject_count": 200,
                     *           "research_period": null,
                     *           "research_created_at": "2024.06.01 09:00:00",
                     *           "research_updated_at": "2024.06.03 09:00:00",
                     *           "department_name": "Hematology",
                     *           "hospital_name": "가톨릭대 서울성모병원",
                     *           "type_name": "관찰연구",
                     *           "scope_name": "단일기관",
                     *           "stage_name": "Case-only"
                     *         },
                     *         {
                     *           "research_number": "C160045",
                     *           "research_name": "만성뇌혈관질환 바이오뱅크 컨소시엄 운영사업",
                     *           "research_subject_count": 765,
                     *           "research_period": "5년",
                     *           "research_created_at": "2024.06.01 09:00:00",
                     *           "research_updated_at": "2024.06.01 09:00:00",
                     *           "department_name": "Psychiatry",
                     *           "hospital_name": "아주대학교 산학협력단",
                     *           "type_name": "기타",
                     *           "scope_name": "국내다기관",
                     *           "stage_name": null
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["CompatList"];
                };
            };
            /** @description `VALIDATION_FAILED`: The request is not valid; `UNKNOWN_PARAMETER`: Unknown query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "VALIDATION_FAILED" | "UNKNOWN_PARAMETER";
                    };
                };
            };
            /** @description Nothing changed within 7 days (or skip is past the end) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        MESSAGE: "NO DATA";
                    };
                };
            };
            /** @description `RATE_LIMITED`: Too many requests */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "RATE_LIMITED";
                    };
                };
            };
            /** @description `INTERNAL`: Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "INTERNAL";
                    };
                };
            };
            /** @description `DATABASE_UNAVAILABLE`: The database is not reachable; `REQUEST_TIMEOUT`: The request took too long */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Error"] & {
                        /** @enum {string} */
                        code?: "DATABASE_UNAVAILABLE" | "REQUEST_TIMEOUT";
                    };
                };
            };
        };
    };
}
