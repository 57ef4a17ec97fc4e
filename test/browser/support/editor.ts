// Headless Debian Chromium driven by playwright-core against a real Node-RED editor. Never downloads a
// browser: CHROMIUM (default /usr/bin/chromium, `apt-get install chromium`) must be there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../../src/dev/userdir';

export const ARTIFACTS = path.join(PACKAGE_ROOT, 'test-artifacts', 'browser');

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: apt-get install chromium (or set CHROMIUM)`);
  }
  // the flags keep Chromium off the network it would call on its own (sync, updates, field trials)
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface EditorPage {
  page: Page;
  /** console errors and page errors the package caused (its resources, its node types, its code) */
  packageErrors(): string[];
  close(): Promise<void>;
}

const OURS = /snom|@snom-flows/i;

export async function openEditor(browser: Browser, url: string, locale = 'en-US'): Promise<EditorPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url ?? '';
    if (OURS.test(m.text()) || OURS.test(where)) errors.push(`${m.text()} (${where})`);
  });
  page.on('pageerror', (e) => {
    if (OURS.test(`${e.message}\n${e.stack ?? ''}`)) errors.push(e.stack ?? e.message);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && OURS.test(r.url())) errors.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('.red-ui-palette-node[data-palette-type="snom-key"]', { timeout: 60000 });
  return { page, packageErrors: () => [...errors], close: () => context.close() };
}

/** Adds a node through the editor's quick-add dialog (Ctrl+click on the workspace, type, Enter). */
export async function addNode(page: Page, type: string, x: number, y: number): Promise<string> {
  const before = await nodeIds(page);
  const ws = (await page.locator('#red-ui-workspace-chart').boundingBox())!;
  await page.keyboard.down('Control');
  await page.mouse.click(ws.x + x, ws.y + y);
  await page.keyboard.up('Control');
  const search = page.locator('#red-ui-type-search-input');
  await search.waitFor({ state: 'visible' });
  await search.pressSequentially(type, { delay: 20 });
  // the list filters on keyup and selects its first entry a moment later: Enter before that adds
  // another type or nothing (a fixed wait flaked on a loaded machine)
  await page.waitForFunction(
    (t) => {
      const $ = (window as any).$;
      return $('#red-ui-type-search li.selected .red-ui-editableList-item-content').data('data')?.type === t;
    },
    type,
    { timeout: 15_000 },
  );
  await page.keyboard.press('Enter');
  for (let i = 0; i < 50; i++) {
    const added = (await nodeIds(page, type)).filter((id) => !before.includes(id));
    if (added.length > 0) return added[0];
    await page.waitForTimeout(100);
  }
  throw new Error(`quick-add did not add a ${type}`);
}

export function nodeIds(page: Page, type?: string): Promise<string[]> {
  return page.evaluate((t) => {
    const out: string[] = [];
    (window as any).RED.nodes.eachNode((n: any) => {
      if (!t || n.type === t) out.push(n.id);
    });
    return out;
  }, type);
}

/** Opens a node's edit dialog by double-clicking it on the workspace. */
export async function openDialog(page: Page, id: string): Promise<void> {
  await page.dblclick(`[id="${id}"] .red-ui-flow-node`);
  await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
  await page.waitForTimeout(300); // oneditprepare builds typedInputs and lists
}

/** Sets a field of the open dialog; a typedInput is set through its own API, as the user's typing would. */
export async function setField(page: Page, selector: string, value: string): Promise<void> {
  const typed = await page.evaluate(
    ({ sel, v }) => {
      const $ = (window as any).$;
      const el = $(sel);
      if (el.length === 0) throw new Error(`no field ${sel}`);
      if (el.data('noderedTypedInput')) {
        el.typedInput('value', v);
        el.trigger('change');
        return true;
      }
      return false;
    },
    { sel: selector, v: value },
  );
  if (!typed) {
    const tag = await page.locator(selector).evaluate((e) => e.tagName.toLowerCase());
    if (tag === 'select') await page.selectOption(selector, value);
    else await page.fill(selector, value);
    await page.locator(selector).dispatchEvent('change');
  }
}

/** True when the editor marks the field (or its typedInput) as invalid. */
export function fieldMarkedInvalid(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const $ = (window as any).$;
    const el = $(sel);
    const box = el.data('noderedTypedInput') ? el.next('.red-ui-typedInput-container') : el;
    return el.hasClass('input-error') || box.hasClass('input-error');
  }, selector);
}

export async function closeDialog(page: Page, button: 'ok' | 'cancel' = 'ok'): Promise<void> {
  await page.click(`#node-dialog-${button}`);
  await page.waitForSelector('#node-dialog-ok', { state: 'detached' }).catch(() => undefined);
}

export function nodeValid(page: Page, id: string): Promise<boolean> {
  return page.evaluate((i) => (window as any).RED.nodes.node(i).valid !== false, id);
}

/** Deploy, confirming Node-RED's dialog if it asks; resolves when the runtime has the flows. */
export async function deploy(page: Page): Promise<void> {
  await page.click('#red-ui-header-button-deploy');
  const confirm = page.locator('#red-ui-dialog-confirm-deploy-deploy, button:has-text("Confirm deploy")');
  await Promise.race([
    confirm
      .first()
      .waitFor({ state: 'visible', timeout: 3000 })
      .then(() => confirm.first().click()),
    page.waitForSelector('.red-ui-notification:has-text("Successfully deployed")', { timeout: 3000 }),
  ]).catch(() => undefined);
  await page.waitForSelector(
    '.red-ui-notification:has-text("Successfully deployed"), .red-ui-notification:has-text("Erfolgreich")',
    {
      timeout: 20000,
    },
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
