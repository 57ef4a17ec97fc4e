import { buildCstaRequest, buildRawCsta, type CstaRequest, type CstaResult } from '../lib/csta';
import type { CommandPlan } from '../lib/commands/plan';
import { cstaOperationFrom, cstaParamsFrom, rawXmlFrom } from './shared/csta-params';
import { cstaPlan } from '../lib/csta/transport';
import { requireCstaOverHttp } from '../lib/profile';
import { firstIdentity } from '../lib/csta/identity';
import { registerCommandNode } from './shared/command-node';
import type { RED } from './shared/red';

// Stands in for the first identity while the request is validated, so that bad input is
// refused before the phone is asked for its identity.
const PLACEHOLDER_DEVICE = 'sip:first-identity@placeholder.invalid';

interface CstaPlan extends CommandPlan {
  /** ConsultationCall: the call it puts on hold */
  heldCallId?: string;
}

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-csta', {
    build: async ({ config, msg, profile, phoneNode }) => {
      const op = cstaOperationFrom(config, msg);
      let req: CstaRequest;
      let heldCallId: string | undefined;
      if (op === 'raw') {
        requireCstaOverHttp(profile, 'Raw CSTA');
        req = buildRawCsta(rawXmlFrom(config, msg));
      } else {
        const { params, needsDevice } = cstaParamsFrom(op, config, msg);
        req = buildCstaRequest(op, needsDevice ? { ...params, deviceId: PLACEHOLDER_DEVICE } : params, profile.csta);
        if (needsDevice) {
          // the identity of the configured phone, also for msg.target fan-out (8.7.4+: index 1 fits every phone)
          const deviceId = await firstIdentity(phoneNode.phone, profile);
          req = buildCstaRequest(op, { ...params, deviceId }, profile.csta);
        }
        if (op === 'ConsultationCall') heldCallId = String(Number(params.callId));
      }
      const plan: CstaPlan = cstaPlan(req);
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
  });
};
