// Records what the phone did: state, ordered log and events, in one place per kind.
import type { SimPhone } from '../phone';
import type { SimRequest } from '../types';

export function recordCommand(phone: SimPhone, name: string, value?: string): void {
  const c = value === undefined ? { name, at: Date.now() } : { name, value, at: Date.now() };
  phone.state.commands.push(c);
  phone.log('command', c);
  phone.emit('command', value === undefined ? { name } : { name, value });
}

/**
 * Writes every query field except `skip` into the settings store, as dummy.htm and settings.htm
 * do with settings=save. Read-only or malformed names are refused one by one (logged), the rest kept.
 */
export function writeSettings(phone: SimPhone, req: SimRequest, skip: string[]): number {
  const store = req.query.get('store_settings') === 'save';
  let written = 0;
  for (const [name, value] of req.query) {
    if (skip.includes(name)) continue;
    const refused = phone.settingsStore.write(name, value);
    if (refused) {
      phone.reject(req, refused);
      continue;
    }
    const w = { name, value, store, at: Date.now() };
    phone.state.settingsWrites.push(w);
    phone.log('setting', w);
    phone.emit('setting', { name, value, store });
    written++;
  }
  return written;
}

/** "snomD785" / "snom870" — how the phone names itself in titles and User-Agents. */
export function phoneType(phone: SimPhone): string {
  return `snom${phone.info.id}`;
}
