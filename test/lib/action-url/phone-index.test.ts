import assert from 'node:assert/strict';
import { PhoneAddressIndex } from '../../../src/lib/action-url/phone-index';

describe('action-url/phone-index: the running phone configs by sender address', () => {
  it('finds a config by the address the router hands on, whatever form its host was written in', () => {
    const index = new PhoneAddressIndex();
    index.add('10.0.0.5:8080', 'a');
    index.add('http://PHONE.example:80/', 'b');
    index.add('[fe80::1]:443', 'c');
    index.add('::ffff:192.168.1.7', 'd');
    assert.equal(index.find('10.0.0.5'), 'a');
    assert.equal(index.find('phone.example'), 'b');
    assert.equal(index.find('fe80::1'), 'c');
    assert.equal(index.find('192.168.1.7'), 'd');
    assert.equal(index.find('10.0.0.6'), undefined);
  });

  it('the first config at an address answers; removing it hands the address to the next, removing all forgets it', () => {
    const index = new PhoneAddressIndex();
    index.add('10.0.0.5', 'first');
    index.add('10.0.0.5:81', 'second');
    index.add('10.0.0.5', 'first'); // a config added twice is one entry
    assert.equal(index.find('10.0.0.5'), 'first');
    index.remove('10.0.0.5', 'first');
    assert.equal(index.find('10.0.0.5'), 'second');
    index.remove('10.0.0.5:81', 'second');
    assert.equal(index.find('10.0.0.5'), undefined);
    assert.equal(index.size, 0);
    index.remove('10.0.0.5', 'never-added'); // harmless
  });

  it('ignores a config without host, and looks nothing up in a plain object', () => {
    const index = new PhoneAddressIndex();
    index.add('  ', 'blank');
    assert.equal(index.size, 0);
    assert.equal(index.find('constructor'), undefined);
    assert.equal(index.find('__proto__'), undefined);
  });
});
