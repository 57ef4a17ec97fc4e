/**
 * The package's routes on Node-RED's admin app (what the editors ask the runtime), mounted once per
 * app by whichever node module registers first.
 */
import type { ProvisionReport } from '../../lib/action-url';
import type { SnomError } from '../../lib/errors';
import { KNOWN_MODELS } from '../../lib/profile';
import { firstTime } from './once';
import type { Node, RED } from './red';

/** A deployed snom-action-url-in node: it provisions with its own path and token. */
export interface ProvisioningNode<TCreds extends object = object> extends Node<TCreds> {
  /** answers and fails without the token */
  provision?(phoneIds: string[] | undefined, unprovision: boolean, variables?: unknown): Promise<ProvisionReport>;
}

/** A deployed snom-sip-notify node: "Prepare phone" writes the settings its SIP kinds need. */
export interface PreparingNode extends Node {
  prepare?(keys?: unknown): Promise<unknown>;
}

export function mountAdminRoutes(RED: RED): void {
  if (!RED.httpAdmin || !RED.auth || !firstTime(RED.httpAdmin, mountAdminRoutes)) return;

  // the phone editor's model drop-down reads the profile table, so it never drifts from the library
  RED.httpAdmin.get('/snom/models', RED.auth.needsPermission('snom-phone.read'), (_req, res) => {
    res.json(KNOWN_MODELS);
  });

  // the action-url-in editor's "write to phones" button; answers setting names and errors, never URLs (they hold the token)
  RED.httpAdmin.post(
    '/snom-action-url-in/:id/provision',
    RED.auth.needsPermission('snom-action-url-in.write'),
    (req, res) => {
      const node = RED.nodes.getNode(String(req.params.id)) as ProvisioningNode | null;
      if (!node || !node.provision) {
        res.status(404).json({ error: 'Deploy this node first: provisioning uses the deployed node and its token.' });
        return;
      }
      const body: unknown = req.body;
      const form = body !== null && typeof body === 'object' ? (body as { action?: unknown; phones?: unknown }) : {};
      const ids = Array.isArray(form.phones) ? form.phones.map(String) : undefined;
      node.provision(ids, form.action === 'unprovision').then(
        (report) => res.json(report),
        (err: SnomError) => res.status(400).json({ error: err.message, code: err.code }),
      );
    },
  );

  // the sip-notify editor's "Prepare phone" button: writes settings on the phone, so write permission
  RED.httpAdmin.post('/snom-sip-notify/:id/prepare', RED.auth.needsPermission('snom-sip-notify.write'), (req, res) => {
    const node = RED.nodes.getNode(String(req.params.id)) as PreparingNode | null;
    if (!node || !node.prepare) {
      res
        .status(404)
        .json({ error: 'Deploy this node first: Prepare phone uses the deployed node and its phone config.' });
      return;
    }
    const body: unknown = req.body;
    const keys = body !== null && typeof body === 'object' ? (body as { keys?: unknown }).keys : undefined;
    node.prepare(keys).then(
      (report) => res.json(report),
      (err: SnomError) => res.status(400).json({ error: err.message, code: err.code }),
    );
  });
}
