/**
 * The review page end to end: the real app on a free port, headless
 * Chromium (the system's, nothing downloaded) driven by playwright-core,
 * and the SQLite file read directly. A failing test leaves a screenshot
 * in test-results/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';

import {
  quoraQuestions,
  removeDir,
  saveSmallModel,
  startReviewApp,
  tempDir,
  type ReviewApp,
} from './review-app.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = path.resolve('test-results');

interface LabelRow {
  a_item_id: number;
  b_item_id: number;
  label: number;
  source: string;
  who: string;
}

describe('review page', () => {
  let browser: Browser;
  let modelDir: string;
  let questions: string[];
  let dataDir: string;
  let app: ReviewApp | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    modelDir = await saveSmallModel(tempDir('page-model'));
    questions = await quoraQuestions(30);
  });
  afterAll(async () => {
    await browser.close();
    removeDir(modelDir);
  });

  beforeEach(async () => {
    dataDir = tempDir('page');
    const context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await page.context().close();
    await app?.stop();
    app = undefined;
    removeDir(dataDir);
  });

  /** Runs a browser test; on failure saves a screenshot, then rethrows. */
  function browserTest(name: string, body: () => Promise<void>): void {
    it(name, async () => {
      try {
        await body();
      } catch (err) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        const file = `review-${name.replace(/[^a-z0-9]+/gi, '-')}.png`;
        await page
          .screenshot({ path: path.join(SCREENSHOTS, file), fullPage: true })
          .catch(() => undefined);
        throw err;
      }
    });
  }

  async function start(
    texts: readonly string[] = questions,
    env: Record<string, string> = {},
  ): Promise<ReviewApp> {
    app = await startReviewApp(dataDir, modelDir, texts, env);
    return app;
  }

  /** Opens the page and signs in as `name`. */
  async function signIn(name = 'ada'): Promise<void> {
    await page.goto(`${app?.url}/review`);
    await page.getByLabel('Your reviewer name').fill(name);
    await page.getByRole('button', { name: 'Start reviewing' }).click();
  }

  /** The id of the pair on show, once one is. */
  async function shownPairId(): Promise<number> {
    const section = page.locator('#pair');
    await section.waitFor({ state: 'visible' });
    return Number(await section.getAttribute('data-pair-id'));
  }

  /** Waits until the shown pair is another than `id`. */
  async function nextPairAfter(id: number): Promise<number> {
    await page.waitForFunction((old) => {
      const el = document.getElementById('pair');
      return el && !el.hidden && el.dataset.pairId !== String(old);
    }, id);
    return shownPairId();
  }

  function labels(): LabelRow[] {
    if (!app) throw new Error('the review app is not running');
    const db = new BetterSqlite3(app.dbFile, { readonly: true });
    try {
      return db
        .prepare<[], LabelRow>(
          'SELECT a_item_id, b_item_id, label, source, who FROM pairs ' +
            'ORDER BY id',
        )
        .all();
    } finally {
      db.close();
    }
  }

  browserTest('labels a pair and the label lands in SQLite', async () => {
    await start();
    await signIn('ada');
    const id = await shownPairId();
    const pair = app?.queue.candidates.views([id]).get(id);

    await expect
      .poll(() => page.locator('#text-a').textContent())
      .toBe(pair?.aText);
    expect(await page.locator('#text-b').textContent()).toBe(pair?.bText);
    expect(await page.locator('#guess').textContent()).toMatch(
      /^(duplicate|different)$/,
    );
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved pair ${id} as duplicate.` })
      .waitFor();

    expect(labels()).toEqual([
      {
        a_item_id: pair?.aItemId,
        b_item_id: pair?.bItemId,
        label: 1,
        source: 'reviewer',
        who: 'ada',
      },
    ]);
    await nextPairAfter(id);
    await expect
      .poll(() => page.locator('#progress').textContent())
      .toContain('ada: 1 labelled (1 duplicate, 0 different)');
  });

  browserTest('marks the words only one text has', async () => {
    await start([
      'How do I learn to cook rice ?',
      'How can I learn to cook pasta ?',
    ]);
    await signIn();
    await shownPairId();

    const marked = async (id: string) =>
      page.locator(`#${id} mark.diff`).allTextContents();
    const a = await page.locator('#text-a').textContent();
    const expectA = a?.startsWith('How do') ? ['do', 'rice'] : ['can', 'pasta'];
    const expectB = a?.startsWith('How do') ? ['can', 'pasta'] : ['do', 'rice'];

    expect(await marked('text-a')).toEqual(expectA);
    expect(await marked('text-b')).toEqual(expectB);
  });

  browserTest('works from the keyboard: n, s, u, d', async () => {
    await start();
    await signIn('bob');
    const first = await shownPairId();

    await page.keyboard.press('n');
    const second = await nextPairAfter(first);
    await page.keyboard.press('s');
    const third = await nextPairAfter(second);
    expect(third).not.toBe(second);

    await page.keyboard.press('u');
    await page
      .getByRole('status')
      .filter({ hasText: 'Undid your last answer (skip)' })
      .waitFor();
    expect(await shownPairId()).toBe(second);

    // Typing in the note does not answer.
    await page.getByLabel('Note (optional)').fill('');
    await page.getByLabel('Note (optional)').press('d');
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe('d');
    await page.locator('#pair').focus();
    await page.keyboard.press('d');
    await nextPairAfter(second);

    expect(labels().map((row) => [row.label, row.who])).toEqual([
      [0, 'bob'],
      [1, 'bob'],
    ]);
  });

  browserTest('undoes the last answer with the button', async () => {
    await start();
    await signIn();
    const first = await shownPairId();
    await page.getByRole('button', { name: 'Different' }).click();
    await nextPairAfter(first);
    expect(labels()).toHaveLength(1);

    await page.getByRole('button', { name: 'Undo last answer' }).click();

    await expect.poll(() => shownPairId()).toBe(first);
    expect(labels()).toEqual([]);
  });

  browserTest('shows the empty state when nothing is left', async () => {
    await start(questions.slice(0, 2));
    await signIn();
    const only = await shownPairId();
    await page.getByRole('button', { name: 'Skip' }).click();
    // A skipped pair comes back when nothing else is left.
    await page
      .getByRole('status')
      .filter({ hasText: `Saved pair ${only} as skip.` })
      .waitFor();
    expect(await shownPairId()).toBe(only);
    await page.keyboard.press('d');

    const empty = page.getByRole('region', { name: 'Nothing to review' });
    await empty.waitFor();
    expect(await empty.textContent()).toContain('every candidate pair');
    expect(await page.locator('#pair').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Check again' }).click();
    await empty.waitFor();
  });

  browserTest('says so when the server cannot be reached', async () => {
    const running = await start();
    await signIn();
    const id = await shownPairId();

    await running.stopServer();
    await page.getByRole('button', { name: 'Duplicate' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Cannot reach the server');
    expect(await shownPairId()).toBe(id);
    expect(labels()).toEqual([]);
  });

  browserTest('says so when the reservation expired', async () => {
    await start(questions, { REVIEW_RESERVATION_SECONDS: '5' });
    await signIn();
    await shownPairId();

    await page.waitForTimeout(5200);
    await page.keyboard.press('d');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('reservation');
    expect(await alert.textContent()).toContain('expired');
    expect(labels()).toEqual([]);
    await shownPairId();
  });

  browserTest('remembers the reviewer and refuses a bad name', async () => {
    await start();
    await signIn('carol');
    const id = await shownPairId();

    await page.reload();
    expect(await page.getByLabel('Your reviewer name').inputValue()).toBe(
      'carol',
    );
    expect(await shownPairId()).toBe(id);

    await page.getByLabel('Your reviewer name').fill('no/slashes');
    await page.getByRole('button', { name: 'Start reviewing' }).click();
    expect(await page.getByRole('alert').textContent()).toContain(
      'reviewer name',
    );
    expect(
      await page.getByLabel('Your reviewer name').getAttribute('aria-invalid'),
    ).toBe('true');
  });
});
