/**
 * A node whose phone config is missing: none chosen, or one chosen that did not start (its
 * constructor refused it, e.g. a bad host: Node-RED then has no such node, and the reason is in the
 * log). Saying "no phone configured" for the second sent users looking for a phone they had set.
 */
import { inputError, type SnomError } from '../../lib/errors';
import type { Translate } from './i18n';
import type { NodeStatus } from './red';

export function missingPhoneStatus(phoneId: unknown, t: Translate): NodeStatus {
  return { fill: 'red', shape: 'ring', text: phoneId ? t('status.phoneNotStarted') : t('status.noPhone') };
}

export function missingPhoneError(phoneId: unknown): SnomError {
  return phoneId
    ? inputError(
        'The snom-phone config of this node did not start (the log says why, e.g. a bad host). Nothing was sent.',
      ).withText('phoneNotStarted')
    : inputError('No Snom phone is configured for this node').withText('noPhone');
}
