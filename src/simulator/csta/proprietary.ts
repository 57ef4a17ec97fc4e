// Snom's proprietary CSTA messages (docs/protocol.md §9; Snom's "Proprietary CSTA Messages and Action URLs").
import type { OpHandler } from './operations';
import { CstaFault } from './reply';
import { child, isWellFormed, serialise, type Out } from './xml';

/** Snom's list of settings GetSettings/SetSettings reach (N = identity index; docs/protocol.md §9.2). */
const ACTION_SETTINGS = [
  'action_incoming_url',
  'action_outgoing_url',
  'action_connected_url',
  'action_disconnected_url',
  'action_hold',
  'action_unhold',
  'action_transfer',
  'action_blind_transfer',
  'action_attended_transfer',
  'action_offhook_url',
  'action_onhook_url',
  'action_missed_url',
];
const READ_ONLY = ['mac', 'phone_type', 'firmware_version'];
/** hidden: not in GetSettings, but SetSettings writes it (docs/protocol.md §9.2, §6.4) */
const HIDDEN = ['action_fwtest_url'];
const PER_IDENTITY = /^user_(name|realname|host)([1-9]|1[0-2])$/;

function listed(name: string): boolean {
  return ACTION_SETTINGS.includes(name) || HIDDEN.includes(name) || PER_IDENTITY.test(name);
}

const setting = (name: string, value: string): Out => ({
  name: 'Setting',
  children: [
    { name: 'name', text: name },
    { name: 'value', text: value },
  ],
});

export const PROPRIETARY: Record<string, OpHandler> = {
  GetSettings(ctx) {
    const phone = ctx.model.phone;
    const s = phone.settings;
    const out: Out[] = [
      setting('mac', phone.mac),
      setting('phone_type', `snom${phone.info.id}`),
      setting('firmware_version', phone.config.firmware),
    ];
    const n = Math.max(
      ctx.model.identities.length,
      ...[...s.keys()].map((k) => Number(PER_IDENTITY.exec(k)?.[2] ?? 0)),
    );
    for (let i = 1; i <= n; i++) {
      for (const f of ['user_name', 'user_realname', 'user_host'])
        out.push(setting(`${f}${i}`, s.get(`${f}${i}`) ?? ''));
    }
    for (const a of ACTION_SETTINGS) out.push(setting(a, s.get(a) ?? ''));
    return out;
  },
  SetSettings(ctx, op) {
    const pairs = op.children
      .filter((c) => c.local === 'Setting')
      .map((c) => ({ name: child(c, 'name')?.text ?? '', value: child(c, 'value')?.text ?? '' }));
    if (pairs.length === 0) throw new CstaFault('valueOutOfRange', 'SetSettings needs at least one Setting');
    // All or nothing: one refused name writes none of them.
    for (const { name } of pairs) {
      if (READ_ONLY.includes(name))
        throw new CstaFault('requestIncompatibleWithObject', `setting ${name} is read-only`);
      if (!listed(name))
        throw new CstaFault('objectNotKnown', `setting ${JSON.stringify(name)} cannot be set over CSTA`);
    }
    const phone = ctx.model.phone;
    for (const { name, value } of pairs) {
      phone.settings.set(name, value);
      const w = { name, value, store: true, at: Date.now() };
      phone.state.settingsWrites.push(w);
      phone.log('setting', { ...w, via: 'csta' });
    }
    return [];
  },
  XmlPush(ctx, op) {
    const el = child(op, 'document');
    if (!el) throw new CstaFault('valueOutOfRange', 'document is missing');
    // Snom says "XML Document as a String in Quotes" (docs/protocol.md §9.3, §11.2 P1): take the quotes off when they are there.
    let doc = el.children.length ? el.children.map(serialise).join('') : el.text.replace(/^"([\s\S]*)"$/, '$1').trim();
    doc = doc.trim();
    if (doc === '' || !isWellFormed(doc))
      throw new CstaFault('valueOutOfRange', 'document is not a well-formed XML document');
    ctx.model.setScreen('xmlpush', doc);
    return [];
  },
  FireTest(ctx) {
    // action_fwtest_url, falling back to IP-Symcon's action_firewall_test (docs/protocol.md §6.4, §11.4 A5).
    const s = ctx.model.phone.settings;
    const setting = (s.get('action_fwtest_url') ?? '').trim() ? 'action_fwtest_url' : 'action_firewall_test';
    ctx.model.fire('fwtest', setting);
    return [];
  },
};
