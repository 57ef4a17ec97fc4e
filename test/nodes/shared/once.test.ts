import assert from 'node:assert/strict';
import { firstTime } from '../../../src/nodes/shared/once';

describe('firstTime: mount-once guards', () => {
  it('says yes once per owner and thing, and keeps owners and things apart', () => {
    const app = {};
    const other = {};
    const router = {};
    assert.equal(firstTime(app, router), true);
    assert.equal(firstTime(app, router), false);
    assert.equal(firstTime(app, 'x'), true, 'another thing on the same owner');
    assert.equal(firstTime(other, router), true, 'the same thing on another owner');
    assert.equal(firstTime(other, router), false);
  });
});
