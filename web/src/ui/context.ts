// What every view gets to render and act.
import type { ConnStatus, Credentials } from '../connection';
import type { ControlInputs } from '../control_rules';
import type { Formatter } from '../format';
import type { DeskEntry, FleetStore, Response } from '../store';
import type { Timeline } from '../timeline';

export interface Actions {
  /** Publishes a command on the selected desk's B/set. */
  command(body: Record<string, unknown>): void;
  /** Stops the selected desk by the first connection that can carry it (stop_sender.ts). */
  stop(): void;
  /** Sends B/request/<op> to the selected desk and waits for its response. */
  request(op: string, body: Record<string, unknown>): Promise<Response>;
  selectDesk(id: string): void;
  login(c: Credentials): void;
}

export interface Ctx {
  fmt: Formatter;
  store: FleetStore;
  deskId: string;
  entry: DeskEntry | undefined;
  conn: ConnStatus;
  connDetail: string;
  /** Why deskd's bridge refuses this browser (config.json's bridge_notice), or ''. */
  bridgeNotice: string;
  brokerUp: boolean;
  /** Broker up and the desk announced itself online: commands can reach it. */
  deskReachable: boolean;
  /** What the enable/disable rules of control_rules.ts read. */
  controls: ControlInputs;
  timeline: Timeline | null;
  /** "Now" on the timeline's clock: deskd's (simulated under --time-scale) for deskd's record. */
  timelineNow: number;
  now: number;
  actions: Actions;
}
