/**
 * fast-xml-parser, loaded on first use: Node-RED loads every node file at start-up, and what it
 * loads there counts against the package's load time (docs/performance.md). The type import costs
 * nothing at run time.
 */
import type * as FastXmlParser from 'fast-xml-parser';

let loaded: typeof FastXmlParser | undefined;

export function fastXmlParser(): typeof FastXmlParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('fast-xml-parser') as typeof FastXmlParser);
}
