// What the phone's keys do to its calls (docs/protocol.md §3.3 key list, §3.4, the attended transfer recipe of §4.5).
import type { CallModel } from './model';

const ANSWER_KEYS = new Set(['ENTER', 'OFFHOOK', 'SPEAKER', 'HEADSET']);
const HANGUP_KEYS = new Set(['CANCEL', 'ONHOOK', 'DISCONNECT']);

/** Per-phone key state: digits typed since the last call change, and a pending blind transfer. */
export class KeyPad {
  private digits = '';
  private blindTransfer = false;

  constructor(private readonly model: CallModel) {
    model.phone.on('reset', () => this.clear());
  }

  clear(): void {
    this.digits = '';
    this.blindTransfer = false;
  }

  press(key: string): void {
    const m = this.model;
    if (/^[0-9*#]$/.test(key)) {
      // Digits during a conversation are DTMF; otherwise they build a number to dial.
      if (!m.byState('connected').length || this.blindTransfer) this.digits += key;
      return;
    }
    if (key === 'OFFHOOK') m.fire('offhook', 'action_offhook_url', m.active() ?? m.byState('ringing')[0]);
    if (key === 'ONHOOK') m.fire('onhook', 'action_onhook_url', m.active());

    const ringing = m.byState('ringing')[0];
    if (ANSWER_KEYS.has(key)) {
      if (ringing) {
        this.clear();
        return m.answer(ringing);
      }
      if (key === 'ENTER' && this.digits) return this.dialTyped();
      return;
    }
    if (HANGUP_KEYS.has(key)) {
      if (key === 'CANCEL' && (this.digits || this.blindTransfer)) return this.clear();
      if (key === 'CANCEL' && ringing) return m.reject(ringing);
      const active = m.active();
      if (active) m.hangup(active);
      else if (ringing && key !== 'ONHOOK') m.reject(ringing);
      return;
    }
    switch (key) {
      case 'F_HOLD':
      case 'F_R': {
        const connected = m.byState('connected');
        if (connected.length) m.hold(connected[connected.length - 1]);
        else {
          const held = m.byState('held');
          if (held.length) m.retrieve(held[held.length - 1]);
        }
        this.digits = '';
        return;
      }
      case 'TRANSFER': {
        const held = m.byState('held');
        const active = m.active();
        if (held.length && active) {
          this.clear();
          return m.transfer(held[held.length - 1], active);
        }
        if (active) {
          // Blind transfer: TRANSFER, the number, ENTER.
          this.blindTransfer = true;
          this.digits = '';
        }
        return;
      }
      case 'DND':
        return m.setDnd(!m.ext.dnd);
      default:
    }
  }

  private dialTyped(): void {
    const number = this.digits;
    const blind = this.blindTransfer;
    this.clear();
    const active = this.model.active();
    if (blind && active) return this.model.blindTransfer(active, number);
    this.model.dial(number);
  }
}
