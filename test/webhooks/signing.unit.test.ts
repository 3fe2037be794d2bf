/** Our Standard Webhooks signature, verified by the specification's own library. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, webhookHeaders } from '../../src/webhooks/signing.js';

describe('webhook signing', () => {
  it('makes whsec_ secrets of at least 24 random bytes, never the same twice', () => {
    const a = newWebhookSecret();
    const b = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(a.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(a).not.toBe(b);
  });

  it('signs as the standardwebhooks library does, and the library verifies it', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({
      type: 'trial.updated',
      timestamp: '2024-06-01T00:00:00.000Z',
      data: { seq: 7, 제목: '림프종' },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders([secret], 'msg_ep_1_7', timestamp, body);
    const library = new Webhook(secret);
    expect(headers['webhook-signature']).toBe(library.sign('msg_ep_1_7', new Date(timestamp * 1000), body));
    expect(library.verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('a changed body, id or secret does not verify', () => {
    const secret = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders([secret], 'msg_a', timestamp, '{"a":1}');
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-id': 'msg_b' })).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify('{"a":1}', headers)).toThrow();
    expect(signWebhook(secret, 'msg_a', timestamp, '{"a":1}')).toBe(headers['webhook-signature']);
  });

  it('signs with every secret given, space-separated; a receiver holding any one of them verifies', () => {
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"a":1}';
    const headers = webhookHeaders([current, previous], 'msg_r', timestamp, body);
    expect(headers['webhook-signature']).toBe(
      `${signWebhook(current, 'msg_r', timestamp, body)} ${signWebhook(previous, 'msg_r', timestamp, body)}`,
    );
    expect(new Webhook(current).verify(body, headers)).toEqual({ a: 1 });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ a: 1 });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});
