import type { SettingsPlan } from '../lib/settings/plan';
import { inputError, quoteInput } from '../lib/errors';
import { registerCommandNode } from './shared/command-node';
import { onFirstUse } from './shared/lazy';
import type * as Settings from '../lib/settings/plan';
import type { FieldsOf } from './shared/node-config';
import type { NodeMessage, RED } from './shared/red';

// loaded with the first message, not at Node-RED's start
const settingsPlans = onFirstUse<typeof Settings>('lib/settings/plan');

function empty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** get | set from the form; "msg" lets msg.action choose. */
function actionOf(config: FieldsOf<'snom-settings'>, msg: NodeMessage): 'get' | 'set' {
  const a = empty(config.action) || config.action === 'msg' ? msg.action : config.action;
  if (a === 'get' || a === 'set') return a;
  throw inputError(`The settings action must be "get" or "set", not ${quoteInput(a, 40)} (msg.action).`, {
    field: 'action',
  }).withText('settings.action', { value: quoteInput(a, 40) });
}

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-settings', {
    build: ({ config, msg, profile }) => {
      const { planSettingsGet, planSettingsSet, settingNames, settingValues } = settingsPlans();
      if (actionOf(config, msg) === 'get') {
        return planSettingsGet(settingNames(empty(config.names) ? msg.payload : config.names), profile);
      }
      const values = empty(config.setName) ? msg.payload : { [String(config.setName).trim()]: config.setValue ?? '' };
      return planSettingsSet(settingValues(values), profile);
    },
    snomExtra: (_ctx, plan) => {
      const p = plan as SettingsPlan;
      return { route: p.route, ...(p.routeNote ? { routeNote: p.routeNote } : {}) };
    },
    statusText: (plan, _ctx, t) => {
      const p = plan as SettingsPlan;
      const names = p.names.length === 1 ? p.names[0] : t('status.settings', { n: p.names.length });
      return t('status.settingsDone', { action: p.action, names, route: p.route });
    },
  });
};
