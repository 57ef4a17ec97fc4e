import type { CstaRequest, CstaResult } from '../lib/csta';
import type { CommandPlan } from '../lib/commands/plan';
import { unsupportedError } from '../lib/errors';
import { cstaOperationFrom, cstaParamsFrom, rawXmlFrom } from './shared/csta-params';
import { registerCommandNode, type BuildContext } from './shared/command-node';
import { onFirstUse } from './shared/lazy';
import type * as Csta from '../lib/csta';
import type * as CstaTransport from '../lib/csta/transport';
import type * as CstaIdentity from '../lib/csta/identity';
import type * as ProfileModule from '../lib/profile';
import { configUaCsta, uaCstaTarget } from './shared/uacsta-link';
import type { RED } from './shared/red';

// the CSTA requests, their route and the phone's identity: with the first message
const cstaSide = onFirstUse<typeof Csta & typeof CstaTransport & typeof CstaIdentity & typeof ProfileModule>(
  'lib/csta lib/csta/transport lib/csta/identity lib/profile',
);

// Stands in for the first identity while the request is validated, so that bad input is
// refused before the phone is asked for its identity.
const PLACEHOLDER_DEVICE = 'sip:first-identity@placeholder.invalid';

interface CstaPlan extends CommandPlan {
  /** ConsultationCall: the call it puts on hold */
  heldCallId?: string;
  transport?: 'sip';
}

// ---- transport (SIP/uaCSTA) ----
/** Which route this message takes; E_INPUT / E_UNSUPPORTED in plain words before anything is sent. */
function routeFor(ctx: BuildContext<'snom-csta'>, what: string): 'http' | 'sip' {
  const { config, msg, profile, phoneNode } = ctx;
  const { cstaTransport, requireCstaOverHttp } = cstaSide();
  const choice = config.transport;
  const route = cstaTransport(profile, choice, what);
  if (route !== 'sip') return route;
  const auto = choice === undefined || choice === '' || choice === 'auto';
  if (auto && !phoneNode.sip.settings().target.user) {
    // 'auto' on 8.7.1–8.7.2 without a SIP identity: say both why HTTP fails and what SIP would need
    requireCstaOverHttp(profile, what, { sipUserHint: true });
  }
  uaCstaTarget(phoneNode);
  if (msg.target !== undefined && msg.target !== null && msg.target !== '')
    throw unsupportedError(
      `${what} over SIP (uaCSTA) goes to the configured phone only; msg.target works with CSTA over HTTP.`,
    ).withText('csta.sipTarget', { what });
  return 'sip';
}
// ---- end transport ----

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-csta', {
    build: async (ctx) => {
      const { config, msg, profile, phoneNode } = ctx;
      const { buildCstaRequest, buildRawCsta, cstaPlan, cstaSipPlan, firstIdentity, requireCstaOverHttp, uaCstaCaps } =
        cstaSide();
      const op = cstaOperationFrom(config, msg);
      const route = routeFor(ctx, op === 'raw' ? 'Raw CSTA' : `CSTA ${op}`);
      const caps = route === 'sip' ? uaCstaCaps(profile) : profile.csta;
      const bare = route === 'sip';
      let req: CstaRequest;
      let heldCallId: string | undefined;
      if (op === 'raw') {
        if (route === 'http') requireCstaOverHttp(profile, 'Raw CSTA');
        req = buildRawCsta(rawXmlFrom(config, msg));
      } else {
        const { params, needsDevice } = cstaParamsFrom(op, config, msg);
        req = buildCstaRequest(op, needsDevice ? { ...params, deviceId: PLACEHOLDER_DEVICE } : params, caps, { bare });
        if (needsDevice) {
          // the identity of the configured phone, also for msg.target fan-out (8.7.4+: index 1 fits every phone)
          const deviceId = await firstIdentity(phoneNode.phone, profile, undefined, caps);
          req = buildCstaRequest(op, { ...params, deviceId }, caps, { bare });
        }
        if (op === 'ConsultationCall') heldCallId = String(Number(params.callId));
      }
      const plan: CstaPlan =
        route === 'sip'
          ? { ...cstaSipPlan(req, (xml, command) => configUaCsta(phoneNode).request(xml, command)), transport: 'sip' }
          : cstaPlan(req);
      if (heldCallId !== undefined) plan.heldCallId = heldCallId;
      return plan;
    },
    payload: (data, { msg }, { plan }) => {
      const result = data as CstaResult;
      if (result.callId !== undefined) {
        // ConsultationCall puts the first call on hold: keep its id for TransferCall/ConferenceCall
        const held = (plan as CstaPlan).heldCallId;
        if (held !== undefined) msg.heldCstaId = held;
        msg.cstaId = result.callId;
      }
      return result;
    },
    snomExtra: (_ctx, plan) => ((plan as CstaPlan).transport === 'sip' ? { transport: 'sip' } : {}),
  });
};
