/** What a receiving endpoint shows as its status: its state and counters, in a few words. */
import type { TextKey } from '../errors';

export interface EndpointStatusView {
  fill: 'red' | 'green' | 'yellow';
  shape: 'ring' | 'dot';
  text: string;
}

export interface EndpointCounts {
  path: string;
  /** a deploy-time configuration error (an invalid allowlist or variable list) */
  problem?: string;
  /** another endpoint listens on the same path */
  duplicate: boolean;
  received: number;
  refused: number;
  /** events lost while no endpoint was there */
  dropped: number;
}

/** "1 event", "3 events". */
export function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Red for a misconfiguration or a shared path, yellow once events were lost, else green with the counts. */
export function endpointStatus(c: EndpointCounts): EndpointStatusView {
  if (c.problem) return { fill: 'red', shape: 'ring', text: 'invalid configuration' };
  if (c.duplicate) return { fill: 'red', shape: 'ring', text: `duplicate path ${c.path}` };
  const parts: string[] = [];
  if (c.received || c.refused || c.dropped) parts.push(countOf(c.received, 'event'));
  else parts.push(`listening ${c.path}`);
  if (c.refused) parts.push(`${c.refused} refused`);
  if (c.dropped) parts.push(`${countOf(c.dropped, 'event')} dropped`);
  return { fill: c.dropped ? 'yellow' : 'green', shape: 'dot', text: parts.join(', ') };
}

/**
 * endpointStatus's text as catalog keys ("runtime.status.endpoint.<key>"), joined by ", ": the node
 * layer says them in the runtime's language (the English catalog gives endpointStatus's text).
 */
export function endpointStatusParts(c: EndpointCounts): TextKey[] {
  const said = (key: string, params: Record<string, string | number> = {}): TextKey => ({
    key: `endpoint.${key}`,
    params,
  });
  if (c.problem) return [said('invalidConfig')];
  if (c.duplicate) return [said('duplicatePath', { path: c.path })];
  const parts: TextKey[] = [];
  if (c.received || c.refused || c.dropped) parts.push(said(c.received === 1 ? 'event' : 'events', { n: c.received }));
  else parts.push(said('listening', { path: c.path }));
  if (c.refused) parts.push(said('refused', { n: c.refused }));
  if (c.dropped) parts.push(said(c.dropped === 1 ? 'droppedOne' : 'dropped', { n: c.dropped }));
  return parts;
}
