/**
 * Issue 18's crash test: `trialwatch serve` (the built CLI) delivers webhooks from its webhook
 * process while it is SIGKILLed — with that process — at random moments, 20 times, with change
 * events written between the kills. After a final restart every event the endpoint's filter matches
 * has been received at least once, in feed order (a message may come again after a kill, never
 * out of order), each verified with the `standardwebhooks` library; an endpoint whose filter
 * matches nothing received nothing. SQLite and PostgreSQL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../../testkit/cli.js';
import { startServe } from '../../testkit/cli.js';
import { seededRandom } from '../../testkit/crash-harness.js';
import type { WebhookReceiver } from '../../testkit/webhook-receiver.js';
import { startWebhookReceiver } from '../../testkit/webhook-receiver.js';
import { Seeder } from '../api/support/seed.js';
import type { TestStore } from '../support/test-store.js';
import { createTestStore, storeKinds } from '../support/test-store.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const KILLS = 20;

/** The pids of a process's children (Linux /proc). */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

function killHard(serve: ServeProcess): void {
  const pid = serve.child.pid;
  if (pid === undefined) return;
  const children = childPids(pid);
  serve.child.kill('SIGKILL');
  for (const child of children) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // Already ended.
    }
  }
}

describe.each(storeKinds())('webhook delivery through serve crashes on %s', (kind) => {
  let store: TestStore;
  let matching: WebhookReceiver;
  let nothing: WebhookReceiver;
  let env: Record<string, string>;

  beforeAll(async () => {
    store = await createTestStore(kind);
    matching = await startWebhookReceiver();
    nothing = await startWebhookReceiver();
    env = {
      DATABASE_URL: store.url,
      ADMIN_TOKEN,
      BOOTSTRAP_SNAPSHOT: 'false',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_ALLOW_HTTP_HOSTS: '127.0.0.1',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_SCHEDULE_MS: '50,50,50,50,50,50,50,50,50,50',
      WEBHOOK_LEASE_TTL_MS: '3000',
    };
  });
  afterAll(async () => {
    await matching.close();
    await nothing.close();
    await store.drop();
  });

  async function create(url: string, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
    const response = await fetch(`${url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { id: string; secret: string };
  }

  it(`receives every matching event at least once, in order, after ${KILLS} SIGKILLs`, async () => {
    const random = seededRandom(18);
    let serve = startServe(env);
    const url = await serve.url;
    const a = await create(url, { url: matching.url, filter: { source: 'kr-icreat' } });
    matching.secret = a.secret;
    const b = await create(url, { url: nothing.url, filter: { trial: 'C999999' } });
    nothing.secret = b.secret;
    // Some receiver answers fail, so kills also land on pending retries.
    matching.respond = () => (random() < 0.2 ? 503 : 200);

    const seed = new Seeder(store.db, Date.now());
    const live = new Set<string>();
    let next = 0;
    let written = 0;
    const writeEvents = async () => {
      for (let i = 0; i < 4; i++) {
        const roll = random();
        const ids = [...live];
        const pick = ids[Math.floor(random() * ids.length)];
        seed.now = Date.now();
        if (roll < 0.4 || pick === undefined) {
          const id = `C${String(700000 + next++)}`;
          await seed.create({ id, raw: { id, v: 0 } });
          live.add(id);
          written++;
        } else if (roll < 0.75) {
          await seed.update(pick, { raw: { id: pick, v: next++ } });
          written++;
        } else {
          await seed.remove(pick);
          live.delete(pick);
          written++;
        }
        if (random() < 0.3) {
          const id = `NCT${String(90000000 + next++)}`;
          await seed.create({ id, source: 'ctgov', raw: { id } });
        }
      }
    };

    const delivered = () =>
      new Set(matching.received.filter((m) => m.status === 200).map((m) => Number(m.payload.data.seq)));
    let kills = 0;
    let killsWithPending = 0;
    for (let round = 0; round < KILLS; round++) {
      await writeEvents();
      await sleep(100 + Math.floor(random() * 500));
      if (delivered().size < written) killsWithPending++;
      killHard(serve);
      await serve.exited;
      kills++;
      serve = startServe(env);
      await serve.url;
    }
    await writeEvents();
    const finalUrl = await serve.url;

    const feed = await fetch(`${finalUrl}/api/v1/changes?source=kr-icreat&limit=1000`);
    const expected = ((await feed.json()) as { items: { seq: number }[] }).items.map((event) => event.seq);
    expect(expected.length).toBeGreaterThan(KILLS * 2);
    expect(expected).toHaveLength(written);
    const until = Date.now() + 60_000;
    while (!expected.every((seq) => delivered().has(seq))) {
      if (Date.now() > until) {
        throw new Error(
          `missing ${expected.filter((seq) => !delivered().has(seq)).length} of ${expected.length} events\n${serve.output().slice(-3000)}`,
        );
      }
      await sleep(100);
    }
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);

    expect(kills).toBe(KILLS);
    // The kills landed while deliveries were pending (not only on an idle server).
    expect(killsWithPending).toBeGreaterThanOrEqual(KILLS / 2);
    expect(matching.unverified + nothing.unverified).toBe(0);
    const seqs = matching.received.map((message) => Number(message.payload.data.seq));
    // In feed order: a message may come again (at least once), but never after a later one.
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThanOrEqual(seqs[i - 1] as number);
    expect([...new Set(seqs)]).toEqual(expected);
    expect(
      matching.received.every((message) => message.id === `msg_${a.id}_${String(message.payload.data.seq)}`),
    ).toBe(true);
    expect(matching.received.every((message) => message.payload.data.source === 'kr-icreat')).toBe(true);
    expect(nothing.received).toEqual([]);
  }, 420_000);
});
