/**
 * One uaCSTA association per snom-phone config (lib/sip UaCstaLink), shared by the snom-csta nodes
 * that send over SIP and the snom-csta-events nodes that monitor: taken when a node starts, given
 * back when it closes; the last one out says BYE, and the config's SIP client waits for that BYE.
 */
import { inputError } from '../../lib/errors';
import type { SipTarget, UaCstaLink } from '../../lib/sip';
import type * as UaCstaLinkModule from '../../lib/sip/uacsta-link';
import { onFirstUse } from './lazy';
import type { SnomPhoneConfigNode } from './phone-node';

interface Shared {
  link: UaCstaLink;
  users: number;
  unhook: () => void;
}

// the association and the CSTA it reads load with the first uaCSTA node that starts
const uaCstaModule = onFirstUse<typeof UaCstaLinkModule>('lib/sip/uacsta-link');

const links = new WeakMap<SnomPhoneConfigNode, Shared>();

export interface UaCstaLease {
  link: UaCstaLink;
  /** gives the association back; the last lease ends it */
  release(): Promise<void>;
}

const forever = new WeakMap<SnomPhoneConfigNode, UaCstaLink>();

/**
 * The config's association for nodes that have no close of their own (snom-csta, a command node):
 * held for the config's life and ended with it (the SIP client's beforeClose).
 */
export function configUaCsta(phoneNode: SnomPhoneConfigNode): UaCstaLink {
  let link = forever.get(phoneNode);
  if (!link) {
    link = acquireUaCsta(phoneNode).link;
    forever.set(phoneNode, link);
  }
  return link;
}

/** The phone config's SIP target for uaCSTA, checked: E_INPUT when a field is wrong or the SIP user is missing. */
export function uaCstaTarget(phoneNode: SnomPhoneConfigNode): SipTarget {
  const target = phoneNode.sip.target();
  if (!target.user)
    throw inputError(
      `uaCSTA needs the phone's CSTA-controlled identity: set the SIP user in the phone config of ${phoneNode.phone.label} (the identity with csta_control on).`,
      { field: 'sipUser' },
    ).withText('events.noSipUser', { phone: phoneNode.phone.label });
  return target;
}

export function acquireUaCsta(phoneNode: SnomPhoneConfigNode): UaCstaLease {
  let shared = links.get(phoneNode);
  if (!shared) {
    const link = new (uaCstaModule().UaCstaLink)({
      endpoint: () => {
        const target = uaCstaTarget(phoneNode);
        return {
          client: phoneNode.sip.client(),
          target,
          credentials: phoneNode.sip.credentials(),
          phone: phoneNode.phone.label,
        };
      },
    });
    const created: Shared = { link, users: 0, unhook: () => undefined };
    created.unhook = phoneNode.sip.beforeClose(() => link.close());
    links.set(phoneNode, created);
    shared = created;
  }
  const s = shared;
  s.users++;
  let released = false;
  return {
    link: s.link,
    async release() {
      if (released) return;
      released = true;
      if (--s.users > 0) return;
      if (links.get(phoneNode) === s) links.delete(phoneNode);
      s.unhook();
      await s.link.close();
    },
  };
}
