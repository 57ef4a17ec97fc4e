import type * as Plan from '../lib/commands/plan';
import type { CommandPlan } from '../lib/commands/plan';
import type * as Csta from '../lib/csta';
import type * as CstaTransport from '../lib/csta/transport';
import { inputError, quoteInput, unsupportedError } from '../lib/errors';
import type * as Minibrowser from '../lib/minibrowser';
import type { MinibrowserObject } from '../lib/minibrowser';
import type * as ProfileRules from '../lib/profile/profile';
import type { Profile } from '../lib/profile';
import { registerCommandNode } from './shared/command-node';
import { documentUrl, documents, mountDocumentServer } from './shared/document-server';
import { onFirstUse } from './shared/lazy';
import { SealedStore, settingsSecret } from './shared/sealed-store';
import type { FieldsOf } from './shared/node-config';
import type { NodeMessage, RED } from './shared/red';

type Transport = 'csta' | 'minibrowser';

// the document checks and the two transports' requests load with the first message
const cstaSide = onFirstUse<typeof Csta & typeof CstaTransport & typeof ProfileRules>(
  'lib/csta lib/csta/transport lib/profile/profile',
);
const minibrowserSide = onFirstUse<typeof Minibrowser & typeof Plan>('lib/minibrowser lib/commands/plan');

interface PushPlan extends CommandPlan {
  transport: Transport;
}

/** The document: the form's XML, else msg.payload as XML text or as a plain object. */
function documentFrom(config: FieldsOf<'snom-xml-push'>, msg: NodeMessage): string {
  const { buildMinibrowserXml, validateMinibrowserXml } = minibrowserSide();
  // a document from msg, flow, global or env (typed-props) may be an object too
  const form: unknown = typeof config.document === 'string' ? config.document.trim() : config.document;
  const source: unknown = form !== '' && form !== undefined && form !== null ? form : msg.payload;
  if (typeof source === 'string') {
    validateMinibrowserXml(source);
    return source;
  }
  if (source !== null && typeof source === 'object' && !Array.isArray(source))
    return buildMinibrowserXml(source as MinibrowserObject);
  throw inputError(
    'No document to show: give minibrowser XML in the node or msg.payload, or an object such as { type: "text", title: "Hello", text: "..." }.',
    { field: 'document' },
  ).withText('xml.noDocument');
}

function transportFor(choice: unknown, profile: Profile): Transport {
  if (choice === 'csta' || choice === 'minibrowser') return choice;
  if (choice !== undefined && choice !== '' && choice !== 'auto') {
    throw inputError(`The transport must be auto, csta or minibrowser, not ${quoteInput(choice, 40)}.`, {
      field: 'transport',
    }).withText('xml.transport', { value: quoteInput(choice, 40) });
  }
  if (cstaSide().hasCstaOverHttp(profile)) return 'csta';
  if (profile.minibrowserPush) return 'minibrowser';
  const phone = phoneWords(profile);
  throw unsupportedError(
    `This phone (${phone}) can take a pushed screen neither by CSTA XmlPush (needs firmware 7.3.4 to 8.6 or 8.7.3+) nor by minibrowser.htm (needs firmware 8.2.7+ on a model with HTTP remote control).`,
    { command: 'xml push' },
  ).withText('xml.noPush', { phone });
}

/** "D785 10.1.33.33": the model and firmware as an error names them. */
function phoneWords(profile: Profile): string {
  return `${profile.model}${profile.firmware ? ` ${profile.firmware.raw}` : ''}`;
}

export = function register(RED: RED): void {
  const sealed = new SealedStore({ secret: settingsSecret(RED) });
  const served = mountDocumentServer(RED, documents, sealed);

  registerCommandNode(RED, 'snom-xml-push', {
    build: ({ config, msg, profile, phoneNode, phones }) => {
      const { buildCstaRequest, cstaPlan } = cstaSide();
      const { minibrowserPushPath, singlePlan } = minibrowserSide();
      const transport = transportFor(config.transport, profile);
      const xml = documentFrom(config, msg);
      if (transport === 'csta') {
        const plan: PushPlan = {
          ...cstaPlan(buildCstaRequest('XmlPush', { document: xml }, profile.csta), { data: false }),
          transport,
        };
        return plan;
      }
      if (!profile.minibrowserPush) {
        const phone = phoneWords(profile);
        throw unsupportedError(
          `This phone (${phone}) cannot take minibrowser.htm pushes: that needs firmware 8.2.7 or later on a model with HTTP remote control.`,
          { command: 'xml push' },
        ).withText('xml.noMinibrowser', { phone });
      }
      const root = RED.settings?.httpNodeRoot;
      if (!served) {
        throw unsupportedError(
          'Node-RED serves no HTTP nodes here (httpNodeRoot is false), so it cannot hand the phone a document to fetch; use the csta transport.',
          { command: 'xml push' },
        ).withText('xml.noHttpNodes');
      }
      // validate the URL (and the old-firmware URL rules) before the document is stored
      minibrowserPushPath(documentUrl(phoneNode.baseUrl, root, 'x'.repeat(32)), profile.minibrowserUrlEncoded);
      const fetches = phones;
      // sealed when the instances behind a load balancer share a secret: any of them answers the fetch
      const token = sealed.enabled ? sealed.put(xml, fetches) : documents.put(xml, fetches);
      const path = minibrowserPushPath(documentUrl(phoneNode.baseUrl, root, token), profile.minibrowserUrlEncoded);
      // keep-alive on minibrowser.htm costs 8 s on real phones (docs/protocol.md §2.5)
      const plan: PushPlan = { ...singlePlan({ command: 'xml push', path, noKeepAlive: true }), transport };
      plan.summary = 'GET /minibrowser.htm?url=…';
      return plan;
    },
    snomExtra: (_ctx, plan) => ({ transport: (plan as PushPlan).transport }),
    statusText: (plan, _ctx, t) => t('status.shown', { transport: (plan as PushPlan).transport }),
  });
};
