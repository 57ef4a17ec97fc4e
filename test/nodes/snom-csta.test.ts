import assert from 'node:assert/strict';
import type { SimPhone } from '../../src/simulator/phone';
import { helper } from '../support/red';
import { simReset, simState, startPhones, stopAll } from '../support/sim';
import { callState, calls, ext, failed, incomingCall, ok, openFlow, simJson, type Flow } from './csta-harness';

type Level = 'legacy' | 'current' | 'extended';

// Firmware per dialect (docs/protocol.md §8.2): the node must speak each one's form to the simulated phone.
const PHONES: Array<{ level: Level; model: string; firmware: string }> = [
  { level: 'legacy', model: 'snom360', firmware: '7.3.4' },
  { level: 'current', model: 'snom821', firmware: '8.7.3.25' },
  { level: 'extended', model: 'snom821', firmware: '8.7.5.15' },
  { level: 'extended', model: 'D785', firmware: '10.1.33.33' },
];
const RANK: Record<Level, number> = { legacy: 0, current: 1, extended: 2 };

interface Case {
  since: Level;
  /** sets up the call(s), runs the operation through the node, checks the phone */
  run(f: Flow, phone: SimPhone): Promise<void>;
}

async function connected(f: Flow, phone: SimPhone): Promise<string> {
  const id = await incomingCall(phone);
  ok(await f.send({ operation: 'AnswerCall', cstaId: id }));
  assert.equal(await callState(phone, id), 'connected');
  return id;
}

/** A held call and an answered outgoing one. */
async function heldAndActive(f: Flow, phone: SimPhone): Promise<[string, string]> {
  const a = await connected(f, phone);
  ok(await f.send({ operation: 'HoldCall', cstaId: a }));
  const made = ok(await f.send({ operation: 'MakeCall', payload: '300' }));
  await simJson(phone, 'POST', `calls/${made.cstaId}/answer-remote`);
  return [a, made.cstaId];
}

const CASES: Record<string, Case> = {
  MakeCall: {
    since: 'legacy',
    async run(f, phone) {
      const out = ok(await f.send({ operation: 'MakeCall', payload: { calledDirectoryNumber: '0301234567' } }));
      const call = (await calls(phone)).find((c) => c.cstaId === out.cstaId);
      assert.ok(call, `the reply's call id ${out.cstaId} is a call on the phone`);
      assert.equal(call.direction, 'outgoing');
      assert.match(call.remote, /0301234567/);
      assert.equal(call.local, 'sip:100@sim.local');
      assert.equal(out.payload.operation, 'MakeCallResponse');
    },
  },
  AnswerCall: {
    since: 'legacy',
    async run(f, phone) {
      const id = await incomingCall(phone);
      ok(await f.send({ operation: 'AnswerCall', cstaId: id }));
      assert.equal(await callState(phone, id), 'connected');
    },
  },
  ClearConnection: {
    since: 'legacy',
    async run(f, phone) {
      const id = await connected(f, phone);
      ok(await f.send({ operation: 'ClearConnection', cstaId: id }));
      assert.equal(await callState(phone, id), 'disconnected');
    },
  },
  ClearCall: {
    since: 'legacy',
    async run(f, phone) {
      const id = await connected(f, phone);
      ok(await f.send({ operation: 'ClearCall', payload: { callId: Number(id) } }));
      assert.equal(await callState(phone, id), 'disconnected');
    },
  },
  HoldCall: {
    since: 'legacy',
    async run(f, phone) {
      const id = await connected(f, phone);
      ok(await f.send({ operation: 'HoldCall', cstaId: id }));
      assert.equal(await callState(phone, id), 'held');
    },
  },
  RetrieveCall: {
    since: 'legacy',
    async run(f, phone) {
      const id = await connected(f, phone);
      ok(await f.send({ operation: 'HoldCall', cstaId: id }));
      ok(await f.send({ operation: 'RetrieveCall', cstaId: id }));
      assert.equal(await callState(phone, id), 'connected');
    },
  },
  TransferCall: {
    since: 'legacy',
    async run(f, phone) {
      const [held, active] = await heldAndActive(f, phone);
      ok(await f.send({ operation: 'TransferCall', payload: { heldCallId: held }, cstaId: active }));
      assert.equal(await callState(phone, held), 'transferred');
    },
  },
  SingleStepTransferCall: {
    since: 'legacy',
    async run(f, phone) {
      const id = await connected(f, phone);
      ok(await f.send({ operation: 'SingleStepTransferCall', cstaId: id, payload: { transferredTo: '400' } }));
      const call = (await calls(phone)).find((c) => c.cstaId === id);
      assert.equal(call.state, 'transferred');
      assert.match(call.transferredTo, /400/);
    },
  },
  ConferenceCall: {
    since: 'current',
    async run(f, phone) {
      const [held, active] = await heldAndActive(f, phone);
      const out = ok(
        await f.send({ operation: 'ConferenceCall', payload: { heldCallId: held, activeCallId: active } }),
      );
      assert.equal(out.payload.operation, 'ConferenceCallResponse');
      const all = await calls(phone);
      const conf = all.filter((c) => c.conference);
      assert.deepEqual(conf.map((c) => c.cstaId).sort(), [held, active].sort());
    },
  },
  GenerateDigits: {
    since: 'current',
    async run(f, phone) {
      const id = await connected(f, phone);
      ok(await f.send({ operation: 'GenerateDigits', cstaId: id, payload: '12#' }));
      assert.deepEqual(
        (await ext(phone)).generatedDigits.map((d: any) => [d.cstaId, d.digits]),
        [[id, '12#']],
      );
    },
  },
  SnapshotDevice: {
    since: 'current',
    async run(f, phone) {
      const id = await incomingCall(phone);
      const out = ok(await f.send({ operation: 'SnapshotDevice' }));
      assert.equal(out.payload.operation, 'SnapshotDeviceResponse');
      assert.match(JSON.stringify(out.payload.data), new RegExp(`"callID":"${id}"`));
    },
  },
  RequestSystemStatus: {
    since: 'current',
    async run(f) {
      const out = ok(await f.send({ operation: 'RequestSystemStatus' }));
      assert.equal(out.payload.data.systemStatus, 'normal');
    },
  },
  ConsultationCall: {
    since: 'extended',
    async run(f, phone) {
      const id = await connected(f, phone);
      const out = ok(await f.send({ operation: 'ConsultationCall', cstaId: id, payload: { consultedDevice: '500' } }));
      assert.equal(out.heldCstaId, id);
      assert.notEqual(out.cstaId, id);
      assert.equal(await callState(phone, id), 'held');
      assert.equal(await callState(phone, out.cstaId), 'dialing');
      // the message as it comes out drives the transfer: held and active ids are on it
      await simJson(phone, 'POST', `calls/${out.cstaId}/answer-remote`);
      ok(await f.send({ ...out, operation: 'TransferCall', payload: {} }));
      assert.equal(await callState(phone, id), 'transferred');
    },
  },
  DeflectCall: {
    since: 'extended',
    async run(f, phone) {
      const id = await incomingCall(phone);
      ok(await f.send({ operation: 'DeflectCall', cstaId: id, payload: { newDestination: '600' } }));
      const call = (await calls(phone)).find((c) => c.cstaId === id);
      assert.notEqual(call.state, 'ringing');
      assert.match(call.transferredTo, /600/);
    },
  },
  SetDoNotDisturb: {
    since: 'extended',
    async run(f, phone) {
      ok(await f.send({ operation: 'SetDoNotDisturb', payload: { doNotDisturbOn: true } }));
      assert.equal((await ext(phone)).dnd, true);
      ok(await f.send({ operation: 'SetDoNotDisturb', payload: { doNotDisturbOn: 'off' } }));
      assert.equal((await ext(phone)).dnd, false);
    },
  },
  GetDoNotDisturb: {
    since: 'extended',
    async run(f) {
      ok(await f.send({ operation: 'SetDoNotDisturb', payload: { doNotDisturbOn: true } }));
      const out = ok(await f.send({ operation: 'GetDoNotDisturb' }));
      assert.equal(out.payload.data.doNotDisturbOn, 'true');
    },
  },
  SetForwarding: {
    since: 'extended',
    async run(f, phone) {
      ok(
        await f.send({
          operation: 'SetForwarding',
          payload: { forwardingType: 'forwardImmediate', activateForward: true, forwardDN: '700' },
        }),
      );
      assert.match(String((await ext(phone)).forwarding.immediate), /700/);
      ok(
        await f.send({
          operation: 'SetForwarding',
          payload: { forwardingType: 'forwardImmediate', activateForward: false },
        }),
      );
      assert.equal((await ext(phone)).forwarding.immediate, undefined);
    },
  },
  GetForwarding: {
    since: 'extended',
    async run(f) {
      ok(
        await f.send({
          operation: 'SetForwarding',
          payload: { forwardingType: 'forwardBusy', activateForward: true, forwardDN: '800' },
        }),
      );
      const out = ok(await f.send({ operation: 'GetForwarding' }));
      assert.match(JSON.stringify(out.payload.data), /forwardBusy.*800|800.*forwardBusy/);
    },
  },
};

describe('snom-csta against simulated phones in every CSTA dialect', function () {
  let phones: SimPhone[];
  let old: SimPhone[];
  before(async () => {
    await new Promise<void>((r) => helper.startServer(r));
    phones = await startPhones(PHONES.map((p) => ({ model: p.model, firmware: p.firmware })));
    old = await startPhones([
      { model: 'snom360', firmware: '7.3.3' },
      { model: 'snom821', firmware: '8.7.2.9' },
    ]);
  });
  afterEach(async () => {
    await helper.unload();
    for (const p of [...phones, ...old]) await simReset(p);
  });
  after(async () => {
    await stopAll([...phones, ...old]);
    await new Promise<void>((r) => helper.stopServer(r));
  });

  PHONES.forEach((p, i) => {
    for (const [op, c] of Object.entries(CASES)) {
      if (RANK[p.level] >= RANK[c.since]) {
        it(`${op} on ${p.model} ${p.firmware} (${p.level})`, async () => {
          const f = await openFlow(phones[i], { type: 'snom-csta', operation: 'msg' });
          await c.run(f, phones[i]);
          const records: any[] = (await ext(phones[i])).csta;
          assert.ok(
            records.some((r) => r.operation === op && r.status === 200),
            `the phone took ${op}`,
          );
          assert.ok(
            records.every((r) => r.status === 200),
            JSON.stringify(records.filter((r) => r.status !== 200)),
          );
        });
      } else {
        it(`refuses ${op} on ${p.model} ${p.firmware} (${p.level}) in plain words, sending nothing`, async () => {
          const f = await openFlow(phones[i], {
            type: 'snom-csta',
            operation: op,
            callId: '-1',
            destination: '100',
            digits: '1',
            dnd: 'on',
            forwardingType: 'forwardImmediate',
            forward: 'off',
          });
          const err = failed(await f.send({}));
          assert.equal(err.error.code, 'E_UNSUPPORTED');
          assert.match(err.error.message, new RegExp(`${op}.*(8\\.7\\.[34]|before 8\\.7)`));
          assert.equal((await simState(phones[i])).requests, 0);
        });
      }
    }
  });

  for (const [which, why] of [
    [0, /before 7\.3\.4/],
    [1, /8\.7\.0 to 8\.7\.2/],
  ] as const) {
    it(`refuses every operation on firmware ${['7.3.3', '8.7.2'][which]} in plain words, sending nothing`, async () => {
      const phone = old[which];
      const f = await openFlow(phone, { type: 'snom-csta', operation: 'msg' });
      for (const op of ['MakeCall', 'AnswerCall', 'raw']) {
        const err = failed(
          await f.send({ operation: op, cstaId: '-1', payload: op === 'raw' ? '<AnswerCall/>' : '100' }),
        );
        assert.equal(err.error.code, 'E_UNSUPPORTED', op);
        assert.match(err.error.message, why);
      }
      assert.equal((await simState(phone)).requests, 0);
    });
  }
});
