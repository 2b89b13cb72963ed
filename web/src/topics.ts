// MQTT topic names of the deskd contract (DESIGN.md §8). B = <base>/<desk id>.

export type TopicKind = 'availability' | 'state' | 'schedule' | 'stats' | 'event' | 'response';

export interface ParsedTopic {
  deskId: string;
  kind: TopicKind;
  /** For responses: the operation, e.g. "schedule/set". */
  op?: string;
}

const DESK_ID = /^[a-z0-9_-]+$/;

export function isValidDeskId(id: string): boolean {
  return DESK_ID.test(id);
}

/** The desk id of a `<base>/<desk id>/<kind>` topic, or null for any other topic. */
export function deskOfTopic(base: string, topic: string, kind: string): string | null {
  const prefix = `${base}/`;
  const suffix = `/${kind}`;
  if (!topic.startsWith(prefix) || !topic.endsWith(suffix)) return null;
  const id = topic.slice(prefix.length, topic.length - suffix.length);
  return isValidDeskId(id) ? id : null;
}

export function deskTopic(base: string, deskId: string, suffix: string): string {
  return `${base}/${deskId}/${suffix}`;
}

/** The subscriptions the dashboard holds for the whole fleet. */
export function fleetSubscriptions(base: string): string[] {
  return ['availability', 'state', 'schedule', 'stats', 'progress', 'timeline', 'event'].map((k) => `${base}/+/${k}`);
}

export function responseSubscription(base: string, deskId: string): string {
  return `${base}/${deskId}/response/#`;
}

/** Maps a received topic to its desk and kind; null for topics the page does not read. */
export function parseTopic(base: string, topic: string): ParsedTopic | null {
  const prefix = `${base}/`;
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length).split('/');
  if (rest.length < 2) return null;
  const [deskId, kind, ...more] = rest;
  if (!isValidDeskId(deskId)) return null;
  if (kind === 'response') {
    if (more.length === 0 || more.some((p) => p === '')) return null;
    return { deskId, kind, op: more.join('/') };
  }
  if (more.length > 0) return null;
  switch (kind) {
    case 'availability':
    case 'state':
    case 'schedule':
    case 'stats':
    case 'event':
      return { deskId, kind };
    default:
      return null;
  }
}
