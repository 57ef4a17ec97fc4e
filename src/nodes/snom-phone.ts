import type * as FleetModule from '../lib/fleet';
import type * as PhoneModule from '../lib/phone';
import type * as PhoneNode from './shared/phone-node';
import type { SnomPhoneConfigNode } from './shared/phone-node';
import type { AuthMode } from '../lib/http/types';
import { mountAdminRoutes } from './shared/admin-routes';
import { restoreCatchCodes } from './shared/catch-code';
import { onFirstUse } from './shared/lazy';
import type { ConfigOf } from './shared/node-config';
import type * as PhoneStateModule from './shared/phone-state';
import type * as SipEndpointModule from './shared/sip-endpoint';
import type { RED } from './shared/red';
import { positiveInt } from '../lib/util';
import { localise, translator, type Translate } from './shared/i18n';

// a config's parts (its phone client and fleet, its state, its SIP side) load with the first config deployed
const phoneConfigSide = onFirstUse<
  typeof FleetModule & typeof PhoneModule & typeof PhoneNode & typeof PhoneStateModule & typeof SipEndpointModule
>('lib/fleet lib/phone nodes/shared/phone-node nodes/shared/phone-state nodes/shared/sip-endpoint');

const AUTH_MODES: readonly AuthMode[] = ['auto', 'basic', 'digest', 'none'];

function authMode(v: unknown): AuthMode {
  return AUTH_MODES.find((m) => m === v) ?? 'auto';
}

/** Node-RED logs what a node's constructor throws (a bad host or port): said in the runtime's language. */
function inLanguage<T>(t: Translate, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw localise(t, err);
  }
}

export = function register(RED: RED): void {
  const t = translator(RED);
  function SnomPhoneNode(this: SnomPhoneConfigNode, config: ConfigOf<'snom-phone'>) {
    RED.nodes.createNode(this, config);
    const { DEFAULT_MAX_TARGETS, DEFAULT_PHONES_AT_ONCE, Fleet, PhoneState, SipEndpoint, SnomPhone, phoneConfigs } =
      phoneConfigSide();
    const creds = this.credentials ?? {};
    const host = String(config.host ?? '').trim();
    const port = config.port === '' || config.port === undefined ? undefined : Number(config.port);
    this.host = host;
    this.baseUrl = String(config.baseUrl ?? '').trim();
    this.state = new PhoneState(t('status.phoneReady'));
    // an invalid fleet allows no other phone (the library fails closed) and says so here
    const fleet = Fleet.parse(config.fleet);
    const options: PhoneModule.SnomPhoneOptions = {
      host,
      port: Number.isInteger(port) && port! > 0 ? port : undefined,
      protocol: config.protocol === 'https' ? 'https' : 'http',
      allowSelfSigned: config.selfSigned === true,
      auth: authMode(config.auth),
      user: creds.user || undefined,
      password: creds.password || undefined,
      timeoutMs: positiveInt(config.timeout, 5000),
      queueSize: positiveInt(config.queueSize, 100),
      name: config.name || undefined,
      model: config.model || 'detect',
      firmware: config.firmware || 'detect',
      legacyCsta: config.legacyCsta === true,
      fleet,
      phonesAtOnce: positiveInt(config.phonesAtOnce, DEFAULT_PHONES_AT_ONCE),
      maxTargets: positiveInt(config.maxTargets, DEFAULT_MAX_TARGETS),
    };
    this.phone = inLanguage(t, () => new SnomPhone(options));
    if (!host) this.state.set({ fill: 'red', shape: 'ring', text: t('status.noHost') });
    else if (fleet.error) {
      this.state.setFault({ fill: 'red', shape: 'ring', text: t('status.invalidFleet') });
      this.error(localise(t, fleet.error));
    }

    this.sip = new SipEndpoint(config, creds);
    phoneConfigs.add(host, this.id);

    this.on('close', (_removed: boolean, done: () => void) => {
      phoneConfigs.remove(host, this.id);
      Promise.allSettled([this.phone.close(), this.sip.close()]).then(() => done());
    });
  }

  RED.nodes.registerType('snom-phone', SnomPhoneNode, {
    credentials: { user: { type: 'text' }, password: { type: 'password' }, sipPassword: { type: 'password' } },
  });

  mountAdminRoutes(RED);
  restoreCatchCodes(RED);
};
