/**
 * Every node's editor fields (the keys of `defaults` in nodes/<type>.html) and credentials, and the
 * config types derived from them: a node reads `config.<field>` only for a field listed here, so a
 * renamed form field fails to compile, and test/nodes/shared/node-config.test.ts holds these lists
 * equal to the editors'.
 */
import type { NodeDef } from './red';

/** How the editor stores a field: the type of its value in the flow. */
interface FieldTypes {
  text: string;
  flag: boolean;
  /** a number field: its default is a number, an edited value text */
  number: number | string;
  /** a multi-select; a hand-written flow may give one text of names instead */
  list: string[] | string;
}
export type FieldKind = keyof FieldTypes;

export const NODE_FIELDS = {
  'snom-phone': {
    name: 'text',
    host: 'text',
    port: 'number',
    protocol: 'text',
    selfSigned: 'flag',
    model: 'text',
    firmware: 'text',
    legacyCsta: 'flag',
    auth: 'text',
    timeout: 'number',
    queueSize: 'number',
    phonesAtOnce: 'number',
    maxTargets: 'number',
    baseUrl: 'text',
    fleet: 'text',
    sipHost: 'text',
    sipPort: 'number',
    sipTransport: 'text',
    sipUser: 'text',
    sipAuthUser: 'text',
    sipLocalAddress: 'text',
    sipLocalPort: 'number',
    sipAdvertisedAddress: 'text',
  },
  'snom-key': { phone: 'text', keys: 'text', keysType: 'text', name: 'text' },
  'snom-dial': {
    phone: 'text',
    mode: 'text',
    number: 'text',
    numberType: 'text',
    identity: 'text',
    identityType: 'text',
    name: 'text',
  },
  'snom-command': {
    phone: 'text',
    command: 'text',
    identity: 'text',
    identityType: 'text',
    ringer: 'text',
    ringerType: 'text',
    url: 'text',
    urlType: 'text',
    transferTarget: 'text',
    transferTargetType: 'text',
    confirmReset: 'flag',
    name: 'text',
  },
  'snom-touch': { phone: 'text', touch: 'text', touchType: 'text', name: 'text' },
  'snom-csta': {
    phone: 'text',
    operation: 'text',
    callId: 'text',
    callIdType: 'text',
    heldCallId: 'text',
    heldCallIdType: 'text',
    activeCallId: 'text',
    activeCallIdType: 'text',
    device: 'text',
    deviceType: 'text',
    destination: 'text',
    destinationType: 'text',
    autoOriginate: 'text',
    digits: 'text',
    digitsType: 'text',
    dnd: 'text',
    forwardingType: 'text',
    forward: 'text',
    xml: 'text',
    transport: 'text',
    name: 'text',
  },
  'snom-csta-events': { phone: 'text', device: 'text', keepAlive: 'number', name: 'text' },
  'snom-settings': {
    phone: 'text',
    action: 'text',
    names: 'text',
    namesType: 'text',
    setName: 'text',
    setNameType: 'text',
    setValue: 'text',
    setValueType: 'text',
    name: 'text',
  },
  'snom-xml-push': { phone: 'text', transport: 'text', document: 'text', documentType: 'text', name: 'text' },
  'snom-sip-notify': {
    phone: 'text',
    kind: 'text',
    document: 'text',
    event: 'text',
    buttons: 'text',
    reboot: 'flag',
    keys: 'text',
    name: 'text',
  },
  'snom-action-url-in': {
    name: 'text',
    path: 'text',
    events: 'list',
    allowlist: 'text',
    holdMs: 'number',
    holdCount: 'number',
    phones: 'list',
    variables: 'text',
  },
} as const satisfies Record<string, Record<string, FieldKind>>;

/** Credentials by node type, with their editor type; the other nodes have none. */
export const NODE_CREDENTIALS = {
  'snom-phone': { user: 'text', password: 'password', sipPassword: 'password' },
  'snom-action-url-in': { token: 'password' },
} as const satisfies Partial<Record<NodeType, Record<string, 'text' | 'password'>>>;

export type NodeType = keyof typeof NODE_FIELDS;
type Fields<T extends NodeType> = (typeof NODE_FIELDS)[T];

/** A node's form fields, each possibly missing (a flow saved before the field existed, or written by hand). */
export type FieldsOf<T extends NodeType> = { -readonly [K in keyof Fields<T>]?: FieldTypes[Fields<T>[K] & FieldKind] };

/** The config Node-RED hands a node's constructor. */
export type ConfigOf<T extends NodeType> = NodeDef & FieldsOf<T>;

/** A node's credentials; each may be unset. */
export type CredentialsOf<T extends keyof typeof NODE_CREDENTIALS> = {
  [K in keyof (typeof NODE_CREDENTIALS)[T]]: string | undefined;
};
