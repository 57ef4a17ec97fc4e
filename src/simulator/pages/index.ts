// Registers the built-in phone pages (GET and POST alike, as phones treat them).
import type { SimPhone } from '../phone';
import { sendHtml } from '../http-util';
import type { SimHandler } from '../types';
import { commandPage } from './command';
import { dummyPage, indexPage, infoPage, ringerPage, settingsPage, settingsXml, updatePage } from './device';
import { minibrowserPage } from './minibrowser';

export function registerPages(phone: SimPhone): void {
  // The D8xx series has no HTTP remote control (docs/protocol.md §1.1): every such page answers 404 (our choice, §11.6).
  const remote =
    (h: SimHandler): SimHandler =>
    (req, res) => {
      if (!phone.info.d8xx) return h(req, res);
      phone.reject(req, `HTTP remote control is not supported on snom ${phone.info.id}`);
      sendHtml(res, 404, 'snom VoIP phone: Error', 'Page not found');
    };
  const pages: Array<[string, SimHandler]> = [
    ['/command.htm', remote(commandPage(phone))],
    ['/line_login.htm', remote(ringerPage(phone))],
    ['/advanced_update.htm', remote(updatePage(phone))],
    ['/index.htm', remote(indexPage(phone))],
    ['/', remote(indexPage(phone))],
    ['/dummy.htm', remote(dummyPage(phone))],
    ['/settings.htm', remote(settingsPage(phone))],
    ['/settings.xml', remote(settingsXml(phone))],
    ['/minibrowser.htm', remote(minibrowserPage(phone))],
    ['/info.htm', infoPage(phone)],
  ];
  for (const [path, h] of pages) {
    phone.addRoute('GET', path, h);
    phone.addRoute('POST', path, h);
  }
}
