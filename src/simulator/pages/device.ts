// The other remote-control pages (docs/protocol.md §4.3, §4.4, §5): ringer, reboot/reset, list clearing,
// re-register, firmware upgrade, settings write/read, and info.htm.
import type { SimPhone } from '../phone';
import { escapeXml } from '../settings';
import { send, sendHtml } from '../http-util';
import type { SimHandler } from '../types';
import { phoneType, recordCommand, writeSettings } from './record';

/** line_login.htm?PLAY_RINGER:X=+Ringer, literal or percent-encoded in any part. */
export function ringerPage(phone: SimPhone): SimHandler {
  return (req, res) => {
    for (const [name, value] of req.query) {
      if (!name.startsWith('PLAY_RINGER')) continue;
      const joined = value === '' ? name : `${name}=${value}`;
      const m = /^PLAY_RINGER:(\d+)=[ +]?Ringer$/.exec(joined);
      const x = m ? Number(m[1]) : NaN;
      if (!(x >= 1 && x <= 9)) {
        phone.reject(req, `${JSON.stringify(joined)} is not PLAY_RINGER:X=+Ringer with X 1..9`);
        return sendHtml(res, 200, phoneType(phone), 'Command not accepted. Nothing was done.');
      }
      phone.state.ringer = { last: x, count: phone.state.ringer.count + 1 };
      recordCommand(phone, 'PLAY_RINGER', String(x));
    }
    sendHtml(res, 200, phoneType(phone), 'Identity');
  };
}

/** advanced_update.htm?reboot=Reboot | reset=Reset */
export function updatePage(phone: SimPhone): SimHandler {
  return (req, res) => {
    const reboot = req.query.get('reboot');
    const reset = req.query.get('reset');
    if ((reboot !== null && reboot !== 'Reboot') || (reset !== null && reset !== 'Reset')) {
      phone.reject(req, 'advanced_update.htm takes reboot=Reboot or reset=Reset');
      return sendHtml(res, 200, phoneType(phone), 'Command not accepted. Nothing was done.');
    }
    if (reset !== null) {
      phone.state.resets++;
      phone.settingsStore.reset();
      recordCommand(phone, 'reset');
    }
    if (reboot !== null) {
      phone.state.reboots++;
      recordCommand(phone, 'reboot');
    }
    sendHtml(res, 200, phoneType(phone), reboot !== null || reset !== null ? 'Rebooting...' : 'Advanced');
  };
}

const LISTS = { dialeddel: 'dialed', misseddel: 'missed', receiveddel: 'received' } as const;

/** index.htm, also clearing the call lists with dialeddel/misseddel/receiveddel=clear|0. */
export function indexPage(phone: SimPhone): SimHandler {
  return (req, res) => {
    const todo: Array<keyof typeof LISTS> = [];
    for (const [name, value] of req.query) {
      if (!(name in LISTS)) continue;
      if (value !== 'clear' && value !== '0') {
        phone.reject(req, `${name}=${value}: use ${name}=clear`);
        return sendHtml(res, 200, phoneType(phone), 'Command not accepted. Nothing was done.');
      }
      todo.push(name as keyof typeof LISTS);
    }
    for (const name of todo) {
      phone.state.lists[LISTS[name]] = [];
      recordCommand(phone, name, req.query.get(name) ?? '');
    }
    sendHtml(res, 200, phoneType(phone), 'Welcome to your phone!');
  };
}

/** dummy.htm: REREGISTER=n, swload=load&firmware=URL, settings=save&name=value... */
export function dummyPage(phone: SimPhone): SimHandler {
  return (req, res) => {
    const q = req.query;
    const refuse = (reason: string): void => {
      phone.reject(req, reason);
      sendHtml(res, 200, phoneType(phone), 'Command not accepted. Nothing was done.');
    };
    const rereg = q.get('REREGISTER');
    let n = NaN;
    if (rereg !== null) {
      n = /^\d+$/.test(rereg) ? Number(rereg) : NaN;
      if (!(n >= 1 && n <= 12)) return refuse(`REREGISTER=${rereg} is not an identity 1..12`);
    }
    const swload = q.get('swload');
    const firmware = q.get('firmware');
    if (swload !== null && (swload !== 'load' || !firmware)) return refuse('swload=load needs firmware=URL');
    const save = q.get('settings');
    if (save !== null && save !== 'save') return refuse(`settings=${save}: use settings=save`);

    if (rereg !== null) {
      const r = phone.state.registrations[n - 1];
      if (r) {
        r.registered = true;
        r.reregisters++;
      }
      recordCommand(phone, 'REREGISTER', String(n));
    }
    if (swload !== null && firmware) {
      const rec = { url: firmware, at: Date.now() };
      phone.state.firmwareUpdates.push(rec);
      recordCommand(phone, 'swload', firmware);
    }
    if (save === 'save') {
      writeSettings(phone, req, ['settings', 'store_settings', 'REREGISTER', 'swload', 'firmware']);
    } else if (rereg === null && swload === null && [...q.keys()].length > 0) {
      phone.reject(req, 'dummy.htm without settings=save writes nothing');
    }
    sendHtml(res, 200, phoneType(phone), '');
  };
}

/** settings.htm?settings=save&name=value... */
export function settingsPage(phone: SimPhone): SimHandler {
  return (req, res) => {
    const save = req.query.get('settings');
    if (save === 'save') writeSettings(phone, req, ['settings', 'store_settings']);
    else if ([...req.query.keys()].length > 0) phone.reject(req, 'settings.htm without settings=save writes nothing');
    sendHtml(res, 200, phoneType(phone), 'Settings');
  };
}

export function settingsXml(phone: SimPhone): SimHandler {
  return (_req, res) => send(res, 200, 'text/xml; charset=utf-8', phone.settingsStore.toXml());
}

/** info.htm: what IP-Symcon and Greenbone look for (docs/protocol.md §1.2). */
export function infoPage(phone: SimPhone): SimHandler {
  return (_req, res) => {
    const { info, mac, config } = phone;
    const hardware = /^D/.test(info.id) ? info.id : phoneType(phone);
    const title = info.d8xx ? 'Phone Manager' : `snom ${info.id}`;
    const idents = phone.state.registrations
      .map(
        (r) =>
          `<tr><td>Identity ${r.index}</td><td>${escapeXml(r.identity)} (${r.registered ? 'registered' : 'logged off'})</td></tr>`,
      )
      .join('\n');
    const body = `<!DOCTYPE html>
<html><head><title>${escapeXml(title)}</title></head><body>
<h1>System Information</h1>
<pre>
Hardware: ${escapeXml(hardware)}
Mac:${mac}
Firmware version: ${escapeXml(phoneType(phone))}-SIP ${escapeXml(config.firmware)}
</pre>
<table>
<tr><td>Phone Type</td><td>${escapeXml(phoneType(phone))}</td></tr>
<tr><td>MAC Address</td><td>${mac}</td></tr>
<tr><td>Firmware-Version</td><td>${escapeXml(config.firmware)}</td></tr>
${idents}
</table>
</body></html>
`;
    send(res, 200, 'text/html; charset=utf-8', body);
  };
}
