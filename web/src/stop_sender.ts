// Stop first: a Stop leaves the page by the first connection that can carry it. MQTT.js once it
// is connected; before that, the first-state probe's own MQTT session (it is open as soon as a
// height is shown: the height came through it). A broker's ACL may drop the probe's PUBLISH
// without a word (MQTT 3.1.1), so a Stop that went only by the probe is sent again through
// MQTT.js when it connects, if that is soon after (a stop is harmless twice; much later it could
// stop a move started since).

/** Sends the stop one way; false when that way cannot carry it now. */
export type StopRoute = () => boolean;

export type StopVia = 'mqtt' | 'probe' | 'none';

/** A Stop that went only by the probe is repeated through MQTT.js if it connects within this. */
export const RESEND_WITHIN_MS = 3000;

export class StopSender {
  /** When a Stop went by the probe only (not yet through MQTT.js), or null. */
  private probeOnlyAt: number | null = null;

  constructor(
    private readonly mqtt: StopRoute,
    private readonly probe: StopRoute,
  ) {}

  /** Sends a Stop now; says which way it went ('none': no connection could carry it). */
  stop(now: number): StopVia {
    if (this.mqtt()) {
      this.probeOnlyAt = null;
      return 'mqtt';
    }
    if (this.probe()) {
      this.probeOnlyAt = now;
      return 'probe';
    }
    return 'none';
  }

  /** MQTT.js has just connected: repeats a recent probe-only Stop through it. True if sent. */
  mqttConnected(now: number): boolean {
    const at = this.probeOnlyAt;
    this.probeOnlyAt = null;
    if (at === null || now - at > RESEND_WITHIN_MS) return false;
    return this.mqtt();
  }
}
