// The package's admin routes (src/nodes/shared/admin-routes.ts) in a Node-RED runtime: mounted by
// whichever node module registers first, and only once per admin app.
import assert from 'node:assert/strict';
import { KNOWN_MODELS } from '../../../src/lib/profile';
import { helper, nodeModule } from '../../support/red';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** How often the admin app routes `method path` (Express 4 keeps its routes in _router.stack). */
function routeCount(method: string, routePath: string): number {
  const app = (helper as { _httpAdmin: { _router?: { stack: Layer[] }; router?: { stack: Layer[] } } })._httpAdmin;
  const stack = (app._router ?? app.router)?.stack ?? [];
  return stack.filter((l) => l.route?.path === routePath && l.route.methods[method]).length;
}

describe('admin routes', function () {
  before(() => new Promise<void>((r) => helper.startServer(r)));
  afterEach(() => helper.unload());
  after(() => new Promise<void>((r) => helper.stopServer(r)));

  it('answers the model table at GET /snom/models', async () => {
    await helper.load([nodeModule('snom-phone')], []);
    const res = await helper.request().get('/snom/models').expect(200);
    assert.deepEqual(res.body, JSON.parse(JSON.stringify(KNOWN_MODELS)));
  });

  it('are there with either node module alone, and once when both load', async () => {
    await helper.load([nodeModule('snom-phone')], []);
    const res = await helper
      .request()
      .post('/snom-action-url-in/a1/provision')
      .send({ action: 'provision' })
      .expect(404);
    assert.match(res.body.error, /^Deploy this node first/);
    await helper.unload();
    await helper.load([nodeModule('snom-action-url-in')], []);
    await helper.request().get('/snom/models').expect(200);
    await helper.unload();
    await helper.load([nodeModule('snom-phone'), nodeModule('snom-action-url-in'), nodeModule('snom-key')], []);
    assert.equal(routeCount('get', '/snom/models'), 1);
    assert.equal(routeCount('post', '/snom-action-url-in/:id/provision'), 1);
  });
});
