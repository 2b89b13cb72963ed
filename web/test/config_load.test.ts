import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';

// loadConfig() runs in the page; here `window` and `location` are stubbed on globalThis.
const g = globalThis as unknown as { window?: Record<string, unknown>; location?: { href: string } };

afterEach(() => {
  delete g.window;
  delete g.location;
});

describe('loadConfig on a first visit', () => {
  it('returns only once index.html has opened its early socket for the same answer', async () => {
    const body = { broker_ws_url: 'ws://127.0.0.1:8080/mqtt', base_topic: 'deskd', desk_id: 'office', version: '1' };
    let openEarlySocket: () => void = () => {};
    const decided = new Promise<void>((resolve) => { openEarlySocket = resolve; });
    g.location = { href: 'http://127.0.0.1:8080/' };
    g.window = {
      deskdConfigResponse: Promise.resolve(new Response(JSON.stringify(body))),
      deskdEarlySocketDecided: decided,
    };
    let loaded = false;
    const config = loadConfig().then((c) => { loaded = true; return c; });
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    expect(loaded, 'the probe would start before the early socket exists').toBe(false);
    openEarlySocket();
    expect((await config).desk_id).toBe('office');
    expect(g.window.deskdEarlySocketDecided, 'taken once').toBeUndefined();
  });
});
