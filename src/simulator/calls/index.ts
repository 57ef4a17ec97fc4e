// The call model extension: one CallModel per phone, driven by keys, dialling, commands and /sim/calls.
import type { SimPhone } from '../phone';
import type { SimCommand, SimDial } from '../types';
import { registerCallControl } from './control';
import { pressFunctionKey } from './function-keys';
import { KeyPad } from './keys';
import { CallModel } from './model';

const models = new WeakMap<SimPhone, CallModel>();

/** The phone's call model (created on first use; CSTA and the call extension share it). */
export function callModel(phone: SimPhone): CallModel {
  let m = models.get(phone);
  if (!m) {
    m = new CallModel(phone);
    models.set(phone, m);
  }
  return m;
}

/** Extension installer: connects the core's key/dial/command events to the call model. */
export function installCalls(phone: SimPhone): void {
  const model = callModel(phone);
  const pad = new KeyPad(model);
  registerCallControl(model);
  phone.on('key', (ev: { key: string; time?: number }) => {
    pressFunctionKey(model, ev.key, ev.time);
    pad.press(ev.key);
  });
  phone.on('dial', (d: Omit<SimDial, 'at'>) => {
    pad.clear();
    const identity = d.outgoingUri ? (model.identityOf(d.outgoingUri, false) ?? 1) : 1;
    model.dial(d.number, identity);
  });
  phone.on('command', (c: Omit<SimCommand, 'at'>) => {
    switch (c.name) {
      case 'RELEASE_ALL_CALLS':
        return model.releaseAll();
      case 'LOGOFFLINE':
        return model.logOnOff(false, Number(c.value));
      case 'LOGOFFALL':
        return model.identities.forEach((_u, i) => model.logOnOff(false, i + 1));
      case 'REREGISTER':
        return model.logOnOff(true, Number(c.value));
      case 'reboot':
      case 'reset':
        return model.reboot();
      default:
    }
  });
  void model.ext;
}

export { CallModel } from './model';
export { substitute, fireActionUrl } from './action-url';
export type * from './types';
