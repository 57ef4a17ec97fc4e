// minibrowser.htm?url=U: the phone fetches U itself and shows it (docs/protocol.md §7.5, §2.5).
import * as http from 'node:http';
import * as https from 'node:https';
import type { SimPhone } from '../phone';
import { sendHtml } from '../http-util';
import type { SimFetched, SimHandler, SimMinibrowserPush } from '../types';
import { phoneType, writeSettings } from './record';

const MAX_DOC = 1024 * 1024;

/** The phone's User-Agent, in the format of docs/protocol.md §1.2. */
export function userAgent(phone: SimPhone): string {
  const fw = phone.config.firmware;
  const build = Number(fw.split('.')[0]) >= 10 ? '2010.12-00004-gsim0001' : '1.1.5-IFX-05.01.12';
  return `Mozilla/4.0 (compatible; ${phoneType(phone)}-SIP ${fw} ${build} ${phone.mac} SXM:0 UXM:0)`;
}

/** GETs a document as the phone's minibrowser would; stops early when the phone stops. */
export function fetchDocument(phone: SimPhone, url: string): Promise<SimFetched> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(
      u,
      {
        headers: { 'User-Agent': userAgent(phone), Accept: '*/*', Connection: 'close' },
        // Phones do not verify the certificate of the server they fetch from.
        rejectUnauthorized: false,
        timeout: phone.config.minibrowserFetchTimeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_DOC) req.destroy(new Error('document larger than 1 MB'));
          else chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    const off = phone.onStop(() => req.destroy(new Error('phone stopped')));
    req.on('timeout', () => req.destroy(new Error('timed out fetching the document')));
    req.on('error', reject);
    req.on('close', off);
  });
}

export function minibrowserPage(phone: SimPhone): SimHandler {
  return async (req, res) => {
    if (!phone.info.minibrowserPush) {
      phone.reject(req, `minibrowser.htm needs firmware 8.2.7 or later (has ${phone.config.firmware})`);
      return sendHtml(res, 404, 'snom VoIP phone: Error', 'Page not found');
    }
    const url = req.query.get('url');
    if (!url) {
      phone.reject(req, 'minibrowser.htm needs url=');
      return sendHtml(res, 200, phoneType(phone), 'Command not accepted. Nothing was done.');
    }
    const keepAlive = /keep-alive/i.test(String(req.headers.connection ?? ''));
    const push: SimMinibrowserPush = { url, keepAlive, at: Date.now() };
    phone.state.minibrowser.push(push);
    phone.log('minibrowser', { url, keepAlive });
    // Settings can ride along on a push (docs/protocol.md §7.5).
    if (req.query.get('settings') === 'save') writeSettings(phone, req, ['url', 'settings', 'store_settings']);

    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
    if (phone.info.minibrowserNeedsScheme && !/^https?:\/\//i.test(url)) {
      push.error = 'firmware 8.4.32 and later needs an http:// or https:// URL';
    } else if (!phone.info.minibrowserNeedsScheme && hasScheme) {
      push.error = 'firmware before 8.4.32 wants the URL without http://';
    } else {
      if (keepAlive) await phone.sleep(phone.config.keepAliveMinibrowserDelayMs);
      push.fetchUrl = hasScheme ? url : `http://${url}`;
      push.userAgent = userAgent(phone);
      try {
        push.fetched = await fetchDocument(phone, push.fetchUrl);
      } catch (err) {
        push.error = err instanceof Error ? err.message : String(err);
      }
    }
    phone.log('minibrowser-fetch', { url, status: push.fetched?.status, error: push.error });
    phone.emit('minibrowser', push);
    sendHtml(res, 200, phoneType(phone), 'Minibrowser');
  };
}
