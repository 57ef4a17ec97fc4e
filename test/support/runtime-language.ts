// The runtime's language for node-red-node-test-helper tests. The helper hands nodes `_ = key => key`
// and registers no catalogs; the real runtime (@node-red/registry's createNodeApi) gives every node
// set a `_` on @node-red/util's i18n, whose language is settings.lang, else the OS locale. This does
// what the runtime does: initialise i18n with `lang`, register the package's catalog, bind `_`.
import { NAMESPACE } from '../../src/nodes/shared/i18n';
import { LOCALES } from './catalog';
import { fromNodeRed } from './red';

const { i18n } = require(fromNodeRed('@node-red/util'));

/** Switch the runtime to `lang` (as settings.lang would); returns the switch back. */
export async function useRuntimeLanguage(lang: string): Promise<() => Promise<void>> {
  // the first init of the process wins (helper.startServer inits with the OS locale): then switch
  i18n.init({ lang });
  await i18n.registerMessageCatalog(NAMESPACE, LOCALES, 'snom-phone.json');
  const before: string = i18n.i.language;
  await i18n.i.changeLanguage(lang);
  return async () => void (await i18n.i.changeLanguage(before));
}

/** A node module given the runtime's `_` for its node set, as the registry gives it. */
export function withRuntimeI18n(mod: unknown, set: string): unknown {
  const namespace = `@snom-flows/node-red-contrib-snom/${set}`;
  const _ = (key: string, ...rest: unknown[]) => i18n._(key.includes(':') ? key : `${namespace}:${key}`, ...rest);
  return (RED: object) => (mod as (red: unknown) => unknown)(Object.assign(Object.create(RED), { _ }));
}
