/**
 * The package's routes on Node-RED's admin app (what the editors ask the runtime), mounted once per
 * app by whichever node module registers first.
 */
import type { ProvisionReport } from '../../lib/action-url';
import type * as Detect from '../../lib/detect';
import type * as DetectLogin from '../../lib/detect-login';
import type * as Diagnose from '../../lib/diagnose';
import type { DiagnoseOptions } from '../../lib/diagnose';
import { isSnomError, type SnomError } from '../../lib/errors';
import type { Diagnosis } from '../../lib/diagnose';
import { localise, sayText, translator, type Translate } from './i18n';
import type { AuthMode } from '../../lib/http/types';
import { positiveInt } from '../../lib/util';
import type * as Models from '../../lib/profile/models';
import { onFirstUse } from './lazy';
import { firstTime } from './once';
import type { SnomPhoneConfigNode } from './phone-node';
import type { Node, RED } from './red';

/** A deployed snom-action-url-in node: it provisions with its own path and token. */
export interface ProvisioningNode<TCreds extends object = object> extends Node<TCreds> {
  /** answers and fails without the token */
  provision?(phoneIds: string[] | undefined, unprovision: boolean, variables?: unknown): Promise<ProvisionReport>;
}

/** What the editor's password field holds while a saved password stays unchanged (Node-RED's placeholder). */
const SAVED_PASSWORD = '__PWRD__';
/** Detect and Test wait at most this long for the phone, whatever the form says. */
const MAX_TIMEOUT_MS = 30_000;

type Req = { body?: unknown; headers?: Record<string, unknown> };

/** A language tag as Node-RED's catalogs are named (de, en-US), or undefined. */
const LANG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/i;

/**
 * The runtime's texts in the requesting editor's language: the editor names it in Accept-Language
 * (nodes/*.html send RED.i18n.lang()); anything else, the runtime's own language.
 */
function editorTranslator(RED: RED, req: Req): Translate {
  const header = req.headers?.['accept-language'];
  const first = typeof header === 'string' ? header.split(',')[0].split(';')[0].trim() : '';
  const _ = RED._;
  if (!LANG.test(first) || typeof _ !== 'function') return translator(RED);
  return translator({ _: (key: string, params?: Record<string, unknown>) => _(key, { ...params, lng: first }) });
}

// what the routes run (the phone client, detection, the model table) loads with the first call
const adminSide = onFirstUse<typeof Detect & typeof DetectLogin & typeof Diagnose & typeof Models>(
  'lib/detect lib/detect-login lib/diagnose lib/profile/models',
);

/**
 * The snom-phone form of a Detect or Test request as the library takes it. The typed password is
 * used as typed; the placeholder means the saved login of the deployed config `id`,
 * which withSavedLogin lets go only where that config would send it.
 */
async function phoneForm(RED: RED, req: Req): Promise<DiagnoseOptions> {
  const b = (req.body !== null && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const port = text(b.port).trim() || (typeof b.port === 'number' ? String(b.port) : '');
  const auth = text(b.auth);
  const form: DiagnoseOptions = {
    host: text(b.host).trim(),
    port: port ? Number(port) : undefined,
    protocol: b.protocol === 'https' ? 'https' : 'http',
    allowSelfSigned: b.selfSigned === true,
    auth: (['auto', 'basic', 'digest', 'none'].includes(auth) ? auth : 'auto') as AuthMode,
    timeoutMs: Math.min(positiveInt(b.timeout, 5000), MAX_TIMEOUT_MS),
    user: text(b.user),
    password: text(b.password),
    model: text(b.model),
    firmware: text(b.firmware),
    legacyCsta: b.legacyCsta === true,
  };
  if (form.password !== SAVED_PASSWORD) return form;
  const running = typeof b.id === 'string' ? (RED.nodes.getNode(b.id) as SnomPhoneConfigNode | null) : null;
  if (!running?.phone || running.type !== 'snom-phone') {
    // not deployed: nothing saved to use (the placeholder itself is never sent)
    return { ...form, password: undefined };
  }
  const saved = running.credentials ?? {};
  return { ...form, ...(await adminSide().withSavedLogin({ phone: running.phone, ...saved }, form)) };
}

type Res = { status(n: number): { json(b: unknown): void } };

/** A refusal of the form (400) or of the phone (502), never with the password (SnomError texts are redacted). */
function failed(res: Res, err: unknown, t: Translate): void {
  if (isSnomError(err))
    res.status(err.code === 'E_INPUT' ? 400 : 502).json({ error: localise(t, err).message, code: err.code });
  else res.status(500).json({ error: t('errors.diagnose.failedUnexpectedly') });
}

/** A provisioning report with each phone's failure said in the editor's language. */
function sayReport(report: ProvisionReport, t: Translate): ProvisionReport {
  const errors = report.errors.map((e) => (e.text ? { ...e, message: sayText(t, e.text) } : e));
  return { ...report, errors };
}

/** Test connection's findings with our words among their parameters said in the editor's language. */
function sayFindings(d: Diagnosis, t: Translate): Diagnosis {
  const findings = d.findings.map((f) => {
    if (!f.said) return f;
    const params = { ...f.params };
    for (const [name, text] of Object.entries(f.said)) params[name] = sayText(t, text);
    return { ...f, params };
  });
  return { ...d, findings };
}

/** A deployed snom-sip-notify node: "Prepare phone" writes the settings its SIP kinds need. */
export interface PreparingNode extends Node {
  prepare?(keys?: unknown): Promise<unknown>;
}

export function mountAdminRoutes(RED: RED): void {
  if (!RED.httpAdmin || !RED.auth || !firstTime(RED.httpAdmin, mountAdminRoutes)) return;

  // the phone editor's model drop-down reads the profile table, so it never drifts from the library
  RED.httpAdmin.get('/snom/models', RED.auth.needsPermission('snom-phone.read'), (_req, res) => {
    res.json(adminSide().KNOWN_MODELS);
  });

  // the phone editor's buttons: Detect (model, firmware, MAC) and Test connection (findings in plain
  // words, lib/diagnose); each runs with the form as typed and answers nothing secret
  const phoneRoute = (name: string, run: (form: DiagnoseOptions, t: Translate) => Promise<unknown>) =>
    RED.httpAdmin.post(`/snom-phone/${name}`, RED.auth.needsPermission('snom-phone.write'), (req, res) => {
      const t = editorTranslator(RED, req);
      phoneForm(RED, req)
        .then((form) => run(form, t))
        .then(
          (answer) => res.json(answer),
          (err: unknown) => failed(res, err, t),
        );
    });
  phoneRoute('detect', (form) => adminSide().detectPhone(form));
  phoneRoute('test', async (form, t) => sayFindings(await adminSide().diagnose(form), t));

  // the action-url-in editor's "write to phones" button; answers setting names and errors, never URLs (they hold the token)
  RED.httpAdmin.post(
    '/snom-action-url-in/:id/provision',
    RED.auth.needsPermission('snom-action-url-in.write'),
    (req, res) => {
      const t = editorTranslator(RED, req);
      const node = RED.nodes.getNode(String(req.params.id)) as ProvisioningNode | null;
      if (!node || !node.provision) {
        res.status(404).json({ error: t('errors.provision.deployFirst') });
        return;
      }
      const body: unknown = req.body;
      const form = body !== null && typeof body === 'object' ? (body as { action?: unknown; phones?: unknown }) : {};
      const ids = Array.isArray(form.phones) ? form.phones.map(String) : undefined;
      node.provision(ids, form.action === 'unprovision').then(
        (report) => res.json(sayReport(report, t)),
        (err: SnomError) => res.status(400).json({ error: localise(t, err).message, code: err.code }),
      );
    },
  );

  // the sip-notify editor's "Prepare phone" button: writes settings on the phone, so write permission
  RED.httpAdmin.post('/snom-sip-notify/:id/prepare', RED.auth.needsPermission('snom-sip-notify.write'), (req, res) => {
    const t = editorTranslator(RED, req);
    const node = RED.nodes.getNode(String(req.params.id)) as PreparingNode | null;
    if (!node || !node.prepare) {
      res.status(404).json({ error: t('errors.notify.deployFirst') });
      return;
    }
    const body: unknown = req.body;
    const keys = body !== null && typeof body === 'object' ? (body as { keys?: unknown }).keys : undefined;
    node.prepare(keys).then(
      (report) => res.json(report),
      (err: SnomError) => res.status(400).json({ error: localise(t, err).message, code: err.code }),
    );
  });
}
