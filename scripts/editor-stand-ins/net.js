// node:net for the editor bundle (scripts/build-editor.js): the address tests the library's parsers
// use, with Node's own patterns (lib/internal/net.js), so the editor reads an address as Node does
// (test/nodes/editor/bundle.test.ts compares them). Matching addresses against ranges happens only
// at run time, so the editor's BlockList only records what was added.
'use strict';
const v4Seg = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const v4Str = `(?:${v4Seg}\\.){3}${v4Seg}`;
const IPv4Reg = new RegExp(`^${v4Str}$`);
const v6Seg = '(?:[0-9a-fA-F]{1,4})';
const IPv6Reg = new RegExp(
  '^(?:' +
    `(?:${v6Seg}:){7}(?:${v6Seg}|:)|` +
    `(?:${v6Seg}:){6}(?:${v4Str}|:${v6Seg}|:)|` +
    `(?:${v6Seg}:){5}(?::${v4Str}|(?::${v6Seg}){1,2}|:)|` +
    `(?:${v6Seg}:){4}(?:(?::${v6Seg}){0,1}:${v4Str}|(?::${v6Seg}){1,3}|:)|` +
    `(?:${v6Seg}:){3}(?:(?::${v6Seg}){0,2}:${v4Str}|(?::${v6Seg}){1,4}|:)|` +
    `(?:${v6Seg}:){2}(?:(?::${v6Seg}){0,3}:${v4Str}|(?::${v6Seg}){1,5}|:)|` +
    `(?:${v6Seg}:){1}(?:(?::${v6Seg}){0,4}:${v4Str}|(?::${v6Seg}){1,6}|:)|` +
    `(?::(?:(?::${v6Seg}){0,5}:${v4Str}|(?::${v6Seg}){1,7}|:))` +
    ')(?:%[0-9a-zA-Z-.:]{1,})?$',
);

function isIPv4(s) {
  return IPv4Reg.test(String(s));
}
function isIPv6(s) {
  return IPv6Reg.test(String(s));
}
function isIP(s) {
  return isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0;
}

class BlockList {
  constructor() {
    this.rules = [];
  }
  addAddress(address, family) {
    this.rules.push(`Address: ${family || 'ipv4'} ${address}`);
  }
  addRange(start, end, family) {
    this.rules.push(`Range: ${family || 'ipv4'} ${start}-${end}`);
  }
  addSubnet(network, prefix, family) {
    this.rules.push(`Subnet: ${family || 'ipv4'} ${network}/${prefix}`);
  }
  check() {
    throw new Error('BlockList.check runs in Node-RED, not in the editor');
  }
}

module.exports = { isIP, isIPv4, isIPv6, BlockList };
