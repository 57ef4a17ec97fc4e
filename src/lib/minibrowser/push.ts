/** The minibrowser.htm request that makes the phone fetch a document (docs/protocol.md §7.5). */
import { inputError, quoteInput, unsupportedError } from '../errors';

/**
 * `/minibrowser.htm?url=…`. From 8.4.32 (urlEncoded) the URL keeps its scheme
 * and is encodeURIComponent-encoded; older firmware wants it without scheme
 * and unencoded — there a URL with & # or spaces cannot be passed, and an
 * https URL cannot be told apart from http, so both are refused (our reading, docs/protocol.md
 * §7.5, §11.5 M4).
 */
export function minibrowserPushPath(url: string, urlEncoded: boolean): string {
  if (typeof url !== 'string' || url.trim() === '') {
    throw inputError('The minibrowser URL is missing.', { field: 'url' }).withText('xml.urlMissing');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw inputError(
      `${quoteInput(url, 80)} is not a URL; the phone fetches the document, so give http://… or https://….`,
      { field: 'url' },
    ).withText('xml.notUrl', { value: quoteInput(url, 80) });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const scheme = parsed.protocol.replace(':', '');
    throw inputError(`The minibrowser URL must be http or https, not ${scheme}.`, { field: 'url' }).withText(
      'xml.urlScheme',
      { scheme },
    );
  }
  if (/[\u0000-\u0020\u007F]/.test(url)) {
    throw inputError('The minibrowser URL must not contain spaces or control characters.', { field: 'url' }).withText(
      'xml.urlChars',
    );
  }
  if (urlEncoded) return `/minibrowser.htm?url=${encodeURIComponent(url)}`;
  if (parsed.protocol === 'https:') {
    throw unsupportedError(
      'Firmware before 8.4.32 takes the pushed URL without its scheme, so it cannot fetch over https; use an http URL.',
      { field: 'url' },
    ).withText('xml.oldHttps');
  }
  if (/[&#%]/.test(url)) {
    throw unsupportedError(
      'Firmware before 8.4.32 takes the pushed URL unencoded, so it cannot contain &, # or %; use a URL without a query, or update to 8.4.32+.',
      { field: 'url' },
    ).withText('xml.oldQuery');
  }
  return `/minibrowser.htm?url=${url.replace(/^https?:\/\//i, '')}`;
}
