// Function keys as a phone runs them: a P-key programmed `url <URL>` (fkey setting, 0-based: P1 =
// fkey0, docs/protocol.md §5.4) sends a GET on a short press; any key held longer than 2 s fires
// action_longpress_url with $longpress_key (§3.4, §6.2).
import type { CallModel } from './model';

const LONG_PRESS_MS = 2000;

export function pressFunctionKey(model: CallModel, key: string, time: number | undefined): void {
  if ((time ?? 0) > LONG_PRESS_MS) {
    model.fire('longPress', 'action_longpress_url', model.active(), { longpress_key: key });
    return;
  }
  const p = /^P(\d+)$/.exec(key);
  if (!p) return;
  const setting = `fkey${Number(p[1]) - 1}`;
  const value = (model.phone.settings.get(setting) ?? '').trim();
  const url = /^url\s+(\S.*)$/i.exec(value);
  if (url) model.fire('functionKey', setting, model.active(), { active_key: key }, url[1]);
}
