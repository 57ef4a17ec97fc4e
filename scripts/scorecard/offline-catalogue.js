'use strict';
/*
 * Preloaded into node-red-dev (node -r): the Flow Library catalogue
 * (catalogue.nodered.org/catalogue.json) cannot be reached from our build machines, whose network
 * reaches only the npm registry. node-red-dev asks it for two checks: P08 (a package of a similar name
 * in another scope) and N01 (node type names used by another package). This answers that one request
 * with SNOM_CATALOGUE (a local JSON file in the catalogue's format; by default an empty catalogue);
 * every other request, to the npm registry, goes out unchanged.
 */
const Module = require('node:module');
const fs = require('node:fs');

const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';
const file = process.env.SNOM_CATALOGUE;
const catalogue = file ? JSON.parse(fs.readFileSync(file, 'utf8')) : { modules: [] };

const load = Module._load;
Module._load = function patchedLoad(request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  if (request === 'axios' && loaded && typeof loaded.get === 'function' && !loaded.snomOffline) {
    const get = loaded.get.bind(loaded);
    loaded.get = (url, ...args) =>
      url === CATALOGUE ? Promise.resolve({ status: 200, data: catalogue }) : get(url, ...args);
    loaded.snomOffline = true;
  }
  return loaded;
};
