// node:crypto for the editor bundle (scripts/build-editor.js): modules the editor's checks import
// also make tokens at run time, which the editor never does. Calling one says so instead of failing
// somewhere later.
'use strict';
function runtimeOnly(name) {
  return function () {
    throw new Error(`crypto.${name} runs in Node-RED, not in the editor`);
  };
}
module.exports = {
  randomBytes: runtimeOnly('randomBytes'),
  createHash: runtimeOnly('createHash'),
  timingSafeEqual: runtimeOnly('timingSafeEqual'),
};
