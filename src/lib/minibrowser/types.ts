/** Plain-object forms of minibrowser documents (docs/protocol.md §7), for buildMinibrowserXml. */

export type LedColor = 'red' | 'green' | 'orange';
export type LedState = 'On' | 'Off' | 'Blink' | 'blinkfast' | 'blinkslow';

export interface MbLed {
  /** LED number as the phone counts them (docs/protocol.md §1.4), 0..999 (our bound, §11.5 M2) */
  number: number;
  /** red, green or orange (any case); may be left out, e.g. for Off */
  color?: string;
  /** On, Off, Blink, blinkfast or blinkslow (any case) */
  state: string;
}

export interface MbSoftkey {
  /** the key, e.g. F1, CANCEL, F_MINIBROWSER_BACK */
  name: string;
  /** label shown on the context key */
  label?: string;
  /** URL fetched when pressed (http(s)://, snom://, phone://) */
  url?: string;
}

export interface MbFetch {
  url: string;
  /** delay in ms before the fetch */
  mil?: number;
}

export interface MbText {
  type: 'text';
  title?: string;
  text: string;
  leds?: MbLed[];
  softkeys?: MbSoftkey[];
  /** close after this many ms (→ <fetch mil="ms">snom://mb_exit</fetch>) */
  timeout?: number;
  /** fetch a URL after mil ms (not with timeout) */
  fetch?: MbFetch;
}

export interface MbMenu {
  type: 'menu';
  title?: string;
  items: Array<{ name: string; url: string }>;
}

export interface MbDirectory {
  type: 'directory';
  title?: string;
  entries: Array<{ name: string; telephone: string }>;
}

export interface MbInputItem {
  displayName: string;
  /** placeholder in url replaced by the typed value, e.g. "__Y__" */
  token?: string;
  defaultValue?: string;
  /** a text, t phone number, n number, e number+text, u upper, l lower, p password, pn numeric password */
  flags?: string;
}

export interface MbInput {
  type: 'input';
  title?: string;
  prompt?: string;
  /** URL the phone fetches with the input substituted */
  url: string;
  items: MbInputItem[];
}

export interface MbImage {
  type: 'image';
  title?: string;
  /** base64 image data */
  data: string;
  locationX?: number;
  locationY?: number;
}

export interface MbImageFile {
  type: 'imagefile';
  title?: string;
  /** image URL the phone fetches */
  url: string;
  locationX?: number;
  locationY?: number;
}

export interface MbSilent {
  type: 'silent';
  fetch: MbFetch;
}

/** LED-only update: a text object with only LEDs that closes itself at once (docs/protocol.md §7.3). */
export interface MbLedUpdate {
  type: 'led';
  leds: MbLed[];
}

export type MinibrowserObject =
  MbText | MbMenu | MbDirectory | MbInput | MbImage | MbImageFile | MbSilent | MbLedUpdate;
