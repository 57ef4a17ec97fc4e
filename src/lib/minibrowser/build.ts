/** Turns a plain object into a minibrowser document; every text goes through the escaping writer. */
import { inputError, quoteInput } from '../errors';
import { CONTROL_CHARS, LONE_SURROGATE, XML_DECLARATION, XML_ILLEGAL_CHARS, writeXml, type XmlNode } from '../csta/xml';
import type { MbFetch, MbLed, MbSoftkey, MinibrowserObject } from './types';
import { validateMinibrowserXml } from './validate';
import { isObj } from '../util';

type Obj = Record<string, unknown>;

/** Required or optional string; single-line fields refuse line breaks (a Title has none). */
function str(
  field: string,
  v: unknown,
  opts: { optional?: boolean; multiline?: boolean; nonEmpty?: boolean } = {},
): string | undefined {
  if (v === undefined || v === null) {
    if (opts.optional) return undefined;
    throw inputError(`${field} is missing.`, { field }).withText('xml.missing', { field });
  }
  if (typeof v !== 'string')
    throw inputError(`${field} must be a string.`, { field }).withText('xml.notString', { field });
  if (opts.nonEmpty && v.trim() === '')
    throw inputError(`${field} is empty.`, { field }).withText('xml.empty', { field });
  if ((opts.multiline ? XML_ILLEGAL_CHARS : CONTROL_CHARS).test(v)) {
    throw inputError(
      `${field} contains ${opts.multiline ? 'control characters' : 'line breaks or control characters'}.`,
      { field },
    ).withText(opts.multiline ? 'xml.controlChars' : 'xml.lineBreaks', { field });
  }
  if (LONE_SURROGATE.test(v))
    throw inputError(`${field} contains broken Unicode (a lone surrogate).`, { field }).withText('xml.loneIn', {
      field,
    });
  return v;
}

function int(field: string, v: unknown, min: number, max: number, optional = false): number | undefined {
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw inputError(`${field} is missing.`, { field }).withText('xml.missing', { field });
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw inputError(`${field} must be a whole number from ${min} to ${max}.`, { field }).withText('xml.range', {
      field,
      min,
      max,
    });
  }
  return v;
}

function list(field: string, v: unknown, optional = false): unknown[] {
  if (v === undefined && optional) return [];
  if (!Array.isArray(v)) throw inputError(`${field} must be an array.`, { field }).withText('xml.notArray', { field });
  if (!optional && v.length === 0) throw inputError(`${field} is empty.`, { field }).withText('xml.empty', { field });
  return v;
}

function item(field: string, v: unknown): Obj {
  if (!isObj(v)) throw inputError(`${field} must be an object.`, { field }).withText('xml.notObj', { field });
  return v;
}

const COLORS = ['red', 'green', 'orange'];
const STATES = ['On', 'Off', 'Blink', 'blinkfast', 'blinkslow'];
const FLAGS = ['a', 't', 'n', 'e', 'u', 'l', 'p', 'pn'];
const MAX_MIL = 24 * 3600 * 1000;

function led(field: string, raw: unknown): XmlNode {
  const l = item(field, raw) as Partial<MbLed>;
  const number = int(`${field}.number`, l.number, 0, 999) as number;
  const attrs: Array<[string, string]> = [['number', String(number)]];
  const color = str(`${field}.color`, l.color, { optional: true });
  if (color !== undefined) {
    if (!COLORS.includes(color.toLowerCase()))
      throw inputError(`${field}.color must be red, green or orange.`, { field: `${field}.color` }).withText(
        'xml.color',
        { field },
      );
    attrs.push(['color', color.toLowerCase()]);
  }
  const stateIn = str(`${field}.state`, l.state) as string;
  const state = STATES.find((s) => s.toLowerCase() === stateIn.toLowerCase());
  if (!state)
    throw inputError(`${field}.state must be one of ${STATES.join(', ')}.`, { field: `${field}.state` }).withText(
      'xml.state',
      { field, allowed: STATES.join(', ') },
    );
  return { name: 'LED', attrs, text: state };
}

function softkey(field: string, raw: unknown): XmlNode {
  const k = item(field, raw) as Partial<MbSoftkey>;
  const name = str(`${field}.name`, k.name, { nonEmpty: true }) as string;
  if (!/^[A-Za-z0-9_*#]+$/.test(name)) {
    throw inputError(`${field}.name ${quoteInput(name, 40)} is not a key name (e.g. F1, CANCEL, F_MINIBROWSER_BACK).`, {
      field: `${field}.name`,
    }).withText('xml.keyName', { field, value: quoteInput(name, 40) });
  }
  const kids: XmlNode[] = [{ name: 'Name', text: name }];
  const label = str(`${field}.label`, k.label, { optional: true });
  if (label !== undefined) kids.push({ name: 'Label', text: label });
  const url = str(`${field}.url`, k.url, { optional: true });
  if (url !== undefined) kids.push({ name: 'URL', text: url });
  return { name: 'SoftKeyItem', children: kids };
}

function fetchNode(field: string, raw: unknown, milRequired = false): XmlNode {
  const f = item(field, raw) as Partial<MbFetch>;
  const url = str(`${field}.url`, f.url, { nonEmpty: true }) as string;
  const mil = int(`${field}.mil`, f.mil, 0, MAX_MIL, !milRequired);
  return { name: 'fetch', attrs: mil === undefined ? [] : [['mil', String(mil)]], text: url };
}

function title(o: Obj): XmlNode[] {
  const t = str('title', o.title, { optional: true });
  return t === undefined ? [] : [{ name: 'Title', text: t }];
}

function location(o: Obj): XmlNode[] {
  const out: XmlNode[] = [];
  const x = int('locationX', o.locationX, 0, 4096, true);
  const y = int('locationY', o.locationY, 0, 4096, true);
  if (x !== undefined) out.push({ name: 'LocationX', text: String(x) });
  if (y !== undefined) out.push({ name: 'LocationY', text: String(y) });
  return out;
}

function rootFor(o: Obj): XmlNode {
  switch (o.type) {
    case 'text': {
      const kids = [...title(o), { name: 'Text', text: str('text', o.text, { multiline: true }) as string }];
      list('leds', o.leds, true).forEach((l, i) => kids.push(led(`leds[${i}]`, l)));
      list('softkeys', o.softkeys, true).forEach((k, i) => kids.push(softkey(`softkeys[${i}]`, k)));
      if (o.timeout !== undefined && o.fetch !== undefined) {
        throw inputError('Give either timeout or fetch, not both: a document has one fetch.', {
          field: 'timeout',
        }).withText('xml.timeoutAndFetch');
      }
      if (o.timeout !== undefined) {
        const ms = int('timeout', o.timeout, 1, MAX_MIL) as number;
        kids.push({ name: 'fetch', attrs: [['mil', String(ms)]], text: 'snom://mb_exit' });
      }
      if (o.fetch !== undefined) kids.push(fetchNode('fetch', o.fetch));
      return { name: 'SnomIPPhoneText', children: kids };
    }
    case 'menu': {
      const items = list('items', o.items).map((raw, i): XmlNode => {
        const it = item(`items[${i}]`, raw);
        return {
          name: 'MenuItem',
          children: [
            { name: 'Name', text: str(`items[${i}].name`, it.name) as string },
            { name: 'URL', text: str(`items[${i}].url`, it.url, { nonEmpty: true }) as string },
          ],
        };
      });
      return { name: 'SnomIPPhoneMenu', children: [...title(o), ...items] };
    }
    case 'directory': {
      const entries = list('entries', o.entries).map((raw, i): XmlNode => {
        const e = item(`entries[${i}]`, raw);
        return {
          name: 'DirectoryEntry',
          children: [
            { name: 'Name', text: str(`entries[${i}].name`, e.name) as string },
            { name: 'Telephone', text: str(`entries[${i}].telephone`, e.telephone, { nonEmpty: true }) as string },
          ],
        };
      });
      return { name: 'SnomIPPhoneDirectory', children: [...title(o), ...entries] };
    }
    case 'input': {
      const kids = [...title(o)];
      const prompt = str('prompt', o.prompt, { optional: true });
      if (prompt !== undefined) kids.push({ name: 'Prompt', text: prompt });
      kids.push({ name: 'URL', text: str('url', o.url, { nonEmpty: true }) as string });
      list('items', o.items).forEach((raw, i) => {
        const it = item(`items[${i}]`, raw);
        const f = `items[${i}]`;
        const sub: XmlNode[] = [{ name: 'DisplayName', text: str(`${f}.displayName`, it.displayName) as string }];
        const token = str(`${f}.token`, it.token, { optional: true });
        if (token !== undefined) sub.push({ name: 'InputToken', text: token });
        const def = str(`${f}.defaultValue`, it.defaultValue, { optional: true });
        if (def !== undefined) sub.push({ name: 'DefaultValue', text: def });
        const flags = str(`${f}.flags`, it.flags, { optional: true });
        if (flags !== undefined) {
          if (!FLAGS.includes(flags))
            throw inputError(`${f}.flags must be one of ${FLAGS.join(', ')}.`, { field: `${f}.flags` }).withText(
              'xml.flags',
              { field: f, allowed: FLAGS.join(', ') },
            );
          sub.push({ name: 'InputFlags', text: flags });
        }
        kids.push({ name: 'InputItem', children: sub });
      });
      return { name: 'SnomIPPhoneInput', children: kids };
    }
    case 'image': {
      const data = (str('data', o.data, { nonEmpty: true }) as string).replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) {
        throw inputError('data must be the image as base64.', { field: 'data' }).withText('xml.base64');
      }
      return {
        name: 'SnomIPPhoneImage',
        children: [...title(o), ...location(o), { name: 'Data', attrs: [['encoding', 'base64']], text: data }],
      };
    }
    case 'imagefile':
      return {
        name: 'SnomIPPhoneImageFile',
        children: [...title(o), ...location(o), { name: 'URL', text: str('url', o.url, { nonEmpty: true }) as string }],
      };
    case 'silent':
      if (o.fetch === undefined)
        throw inputError('fetch is missing: a silent document only runs its fetch.', { field: 'fetch' }).withText(
          'xml.silentFetch',
        );
      return { name: 'SnomIPPhoneSilent', children: [fetchNode('fetch', o.fetch)] };
    case 'led': {
      const leds = list('leds', o.leds).map((l, i) => led(`leds[${i}]`, l));
      // Close at once: the LEDs stay, the screen does not change (docs/protocol.md §7.3).
      return {
        name: 'SnomIPPhoneText',
        children: [...leds, { name: 'fetch', attrs: [['mil', '1']], text: 'snom://mb_exit' }],
      };
    }
    default:
      throw inputError(
        `type must be one of text, menu, directory, input, image, imagefile, silent, led (got ${quoteInput(o.type, 40)}).`,
        { field: 'type' },
      ).withText('xml.type', { value: quoteInput(o.type, 40) });
  }
}

/** A complete minibrowser document (UTF-8 XML declaration + one object) from a plain object. */
export function buildMinibrowserXml(doc: MinibrowserObject): string {
  if (!isObj(doc))
    throw inputError('The minibrowser document must be an object with a type.', { field: 'type' }).withText(
      'xml.docShape',
    );
  const xml = `${XML_DECLARATION}\n${writeXml(rootFor(doc))}`;
  validateMinibrowserXml(xml); // a cheap guarantee that what we hand out is what the phone accepts
  return xml;
}
