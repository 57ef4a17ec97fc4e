/**
 * Detect and Test connection run with what the editor's form holds, which may be a saved password
 * the editor never sees (it shows a placeholder). The saved login may then go only where the
 * running config would send it (design.md "snom-phone"): to that phone or a fleet phone, never over
 * a weaker channel than that phone uses (no https → http, no newly accepted self-signed
 * certificate, no Basic where it uses Digest).
 */
import { inputError } from './errors';
import { endpointKey, parseEndpoint } from './fleet';
import { phoneOrigin } from './http/origin';
import type { PhoneClientOptions } from './http/types';
import type { SnomPhone } from './phone';

/** The saved login of a running config. */
export interface SavedLogin {
  phone: SnomPhone;
  user?: string;
  password?: string;
}

/**
 * `form` with the saved password (and the saved user when the form has none), or E_INPUT saying why
 * the saved login may not be used for it. Auth "auto" becomes "digest" when the running phone uses Digest.
 */
export async function withSavedLogin(saved: SavedLogin, form: PhoneClientOptions): Promise<PhoneClientOptions> {
  const running = saved.phone;
  const refuse = (why: string) =>
    inputError(`The saved password of ${running.label} is not used here: ${why}. Type the password to test with it.`, {
      field: 'password',
    });
  const params = { phone: running.label };
  const o = phoneOrigin(form.host, form.port, form.protocol);
  const url = new URL(o.origin);
  const ep = parseEndpoint(url.port ? `${url.hostname}:${url.port}` : url.hostname, 'host');
  const key = endpointKey(ep, o.protocol === 'https' ? 443 : 80);
  if (key !== running.key && !running.fleet.allows(ep, o.protocol === 'https' ? 443 : 80))
    throw refuse(`${o.label} is neither this phone nor in its fleet`).withText('detect.notInFleet', {
      ...params,
      target: o.label,
    });
  const runningHttps = running.client.origin.startsWith('https:');
  if (runningHttps && o.protocol !== 'https')
    throw refuse('the running config uses HTTPS, the form HTTP').withText('detect.httpsToHttp', params);
  if (o.protocol === 'https' && form.allowSelfSigned === true && !(runningHttps && running.options.allowSelfSigned))
    throw refuse('the running config does not accept a self-signed certificate').withText('detect.selfSigned', params);
  let auth = form.auth ?? 'auto';
  if (auth === 'basic' || auth === 'auto') {
    const scheme = await running.authScheme();
    if (scheme === 'digest' && auth === 'basic')
      throw refuse('the running config logs in with Digest, the form with Basic').withText(
        'detect.digestToBasic',
        params,
      );
    if (scheme === 'digest') auth = 'digest';
  }
  return { ...form, auth, user: form.user || saved.user, password: saved.password };
}
