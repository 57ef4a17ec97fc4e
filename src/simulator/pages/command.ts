// command.htm: key events, dialling, DTMF, the bare command tokens and snom870 touch (docs/protocol.md §3, §4.1–§4.3, §4.6).
import type { SimPhone } from '../phone';
import { checkKey } from '../phone-models';
import { send, sendHtml } from '../http-util';
import type { SimHandler, SimKeyEvent, SimTouch } from '../types';
import { phoneType, recordCommand } from './record';

type Action = () => void;

/** 'KEY[,TIME[,PAUSE]];...' (already percent-decoded) → events, or why it is refused. */
export function parseKeyEvents(phone: SimPhone, value: string): Array<Omit<SimKeyEvent, 'at'>> | string {
  const out: Array<Omit<SimKeyEvent, 'at'>> = [];
  const segments = value.split(';').filter((s) => s.trim() !== '');
  if (segments.length === 0) return 'key= is empty';
  for (const seg of segments) {
    const [rawKey, time, pause, ...extra] = seg.split(',');
    if (extra.length) return `key event ${JSON.stringify(seg)} has more than KEY,TIME,PAUSE`;
    const key = rawKey.trim();
    const bad = checkKey(phone.info, key);
    if (bad) return bad;
    const ev: Omit<SimKeyEvent, 'at'> = { key };
    for (const [field, v] of [
      ['time', time],
      ['pause', pause],
    ] as const) {
      if (v === undefined || v.trim() === '') continue;
      if (!/^\d{1,7}$/.test(v.trim()))
        return `${field} ${JSON.stringify(v)} of key ${key} is not a number of milliseconds`;
      ev[field] = Number(v.trim());
    }
    out.push(ev);
  }
  return out;
}

const TOUCH_VERBS: Record<string, SimTouch['action']> = { p: 'p', press: 'p', r: 'r', release: 'r', pr: 'pr' };

/** 'X Y [verb] X2 Y2 [verb]...' → touches, or why it is refused. */
export function parseTouch(value: string): Array<Omit<SimTouch, 'at'>> | string {
  const t = value.trim().split(/\s+/).filter(Boolean);
  if (t.length === 0) return 'touch= is empty';
  const out: Array<Omit<SimTouch, 'at'>> = [];
  let i = 0;
  while (i < t.length) {
    const [xs, ys] = [t[i], t[i + 1]];
    if (ys === undefined || !/^\d+$/.test(xs) || !/^\d+$/.test(ys))
      return `touch needs "X Y" pairs, got ${JSON.stringify(value)}`;
    const x = Number(xs);
    const y = Number(ys);
    if (x > 479 || y > 271) return `touch point ${x} ${y} is outside 0..479 x 0..271`;
    i += 2;
    let action: SimTouch['action'] = 'pr';
    if (t[i] !== undefined && !/^\d+$/.test(t[i])) {
      const verb = Object.hasOwn(TOUCH_VERBS, t[i]) ? TOUCH_VERBS[t[i]] : undefined; // not 'constructor' & co.
      if (!verb) return `unknown touch action ${JSON.stringify(t[i])} (p, r, pr, press, release)`;
      action = verb;
      i++;
    }
    out.push({ x, y, action });
  }
  return out;
}

export function commandPage(phone: SimPhone): SimHandler {
  return (req, res) => {
    const actions: Action[] = [];
    let number: string | undefined;
    let outgoingUri: string | undefined;
    let refused: string | null = null;
    const bareToken = (name: string, value: string): void => {
      if (value !== '') refused = `${name} takes no value`;
      else
        actions.push(() => {
          if (name === 'LOGOFFALL') {
            for (const r of phone.state.registrations) {
              r.registered = false;
              r.logoffs++;
            }
          }
          recordCommand(phone, name);
        });
    };

    for (const [name, value] of req.query) {
      if (refused) break;
      switch (name) {
        case 'key': {
          const events = parseKeyEvents(phone, value);
          if (typeof events === 'string') refused = events;
          else
            actions.push(() => {
              for (const e of events) {
                const ev = { ...e, at: Date.now() };
                phone.state.keys.push(ev);
                phone.log('key', ev);
                phone.emit('key', ev);
              }
            });
          break;
        }
        case 'number':
          if (value.trim() === '') refused = 'number= is empty';
          else {
            number = value.trim();
            actions.push(() => {
              const d =
                outgoingUri === undefined ? { number: number as string } : { number: number as string, outgoingUri };
              const rec = { ...d, at: Date.now() };
              phone.state.dials.push(rec);
              phone.state.lists.dialed.push(d.number);
              phone.log('dial', rec);
              phone.emit('dial', d);
            });
          }
          break;
        case 'outgoing_uri':
          outgoingUri = value;
          break;
        case 'key_dtmf':
          if (!/^[0-9*#A-Da-d]+$/.test(value))
            refused = `key_dtmf ${JSON.stringify(value)} is not DTMF digits (0-9 * # A-D)`;
          else
            actions.push(() => {
              const rec = { digits: value, at: Date.now() };
              phone.state.dtmf.push(rec);
              phone.log('dtmf', rec);
              phone.emit('dtmf', { digits: value });
            });
          break;
        case 'RELEASE_ALL_CALLS':
        case 'LOGOFFALL':
          bareToken(name, value);
          break;
        case 'LOGOFFLINE': {
          const n = /^\d+$/.test(value) ? Number(value) : NaN;
          if (!(n >= 1 && n <= 12)) refused = `LOGOFFLINE=${value} is not an identity 1..12`;
          else
            actions.push(() => {
              const r = phone.state.registrations[n - 1];
              if (r) {
                r.registered = false;
                r.logoffs++;
              }
              recordCommand(phone, 'LOGOFFLINE', String(n));
            });
          break;
        }
        case 'FIX_LIL':
          if (value !== 'true') refused = `FIX_LIL=${value}: only FIX_LIL=true exists`;
          else actions.push(() => recordCommand(phone, 'FIX_LIL', 'true'));
          break;
        case 'touch': {
          if (!phone.info.touch) {
            refused = `touch is not supported on ${phoneType(phone)} with firmware ${phone.config.firmware} (snom870 with 8.4.34+ or 8.7.2+ only)`;
            break;
          }
          const touches = parseTouch(value);
          if (typeof touches === 'string') refused = touches;
          else
            actions.push(() => {
              for (const t of touches) {
                const rec = { ...t, at: Date.now() };
                phone.state.touches.push(rec);
                phone.log('touch', rec);
                phone.emit('touch', rec);
              }
            });
          break;
        }
        default:
          refused = `unknown command ${JSON.stringify(name)}`;
      }
    }
    if (!refused && outgoingUri !== undefined && number === undefined) refused = 'outgoing_uri without number';
    if (refused) {
      // Unknown requests change nothing; the answer is still 200 with a page that says so.
      phone.reject(req, refused);
      return sendHtml(res, 200, phoneType(phone), `Command not accepted: ${refused}. Nothing was done.`);
    }
    for (const a of actions) a();
    if (number !== undefined) return send(res, 302, 'text/html; charset=utf-8', '', { Location: '/index.htm' });
    sendHtml(res, 200, phoneType(phone), actions.length ? 'OK' : 'Remote control');
  };
}
