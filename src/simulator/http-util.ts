// Small response helpers shared by the pages and the control API.
import type * as http from 'node:http';
import { escapeXml } from './settings';

export function send(
  res: http.ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** A bare phone-like HTML page. */
export function htmlPage(title: string, text: string): string {
  return `<!DOCTYPE html>\n<html><head><title>${escapeXml(title)}</title></head><body>\n<p>${escapeXml(text)}</p>\n</body></html>\n`;
}

export function sendHtml(res: http.ServerResponse, status: number, title: string, text: string): void {
  send(res, status, 'text/html; charset=utf-8', htmlPage(title, text));
}

export function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value, null, 2) + '\n');
}

export const MAX_BODY = 1024 * 1024;

/** Reads the request body as UTF-8; rejects above MAX_BODY. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Whether a POST body is a form (phones treat its fields like query fields). */
export function isFormBody(contentType: string | undefined, body: string): boolean {
  if (!body) return false;
  if (contentType) return /application\/x-www-form-urlencoded/i.test(contentType);
  return !body.trimStart().startsWith('<');
}
