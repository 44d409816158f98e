// The review page's behaviour: ask the API for a pair, show it with the
// word differences marked, send the answer, undo, and keep the reviewer
// told about progress and problems. Plain browser JavaScript, no build.

const NAME_KEY = 'siamese-dedup.reviewer';
const API_KEY_KEY = 'siamese-dedup.api-key';
const NAME_PATTERN =
  /^[A-Za-z0-9._@-](?:[A-Za-z0-9 ._@-]{0,62}[A-Za-z0-9._@-])?$/;
const UNREACHABLE =
  'Cannot reach the server. Check that it is running and your ' +
  'connection, then try again; your last action was not saved.';

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const ui = {
  form: /** @type {HTMLFormElement} */ ($('who')),
  name: /** @type {HTMLInputElement} */ ($('reviewer')),
  key: /** @type {HTMLInputElement} */ ($('api-key')),
  progress: $('progress'),
  alert: $('alert'),
  status: $('status'),
  pair: $('pair'),
  textA: $('text-a'),
  textB: $('text-b'),
  aId: $('a-id'),
  bId: $('b-id'),
  guess: $('guess'),
  energy: $('energy'),
  similarity: $('similarity'),
  until: /** @type {HTMLTimeElement} */ ($('until')),
  note: /** @type {HTMLTextAreaElement} */ ($('note')),
  empty: $('empty'),
  emptyMessage: $('empty-message'),
  retry: $('retry'),
  undo: /** @type {HTMLButtonElement} */ ($('btn-undo')),
  answers: /** @type {HTMLButtonElement[]} */ ([
    $('btn-duplicate'),
    $('btn-different'),
    $('btn-skip'),
  ]),
};

/** @type {{ reviewer: string, key: string, current: any, busy: boolean }} */
const state = { reviewer: '', key: '', current: null, busy: false };

/** An API failure with the problem's stable code. */
class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Calls the API as the current reviewer; returns the JSON body.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { 'X-Reviewer': state.reviewer, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.key !== '') headers.Authorization = `Bearer ${state.key}`;

  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'unreachable', UNREACHABLE);
  }

  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const code = data && typeof data.code === 'string' ? data.code : 'error';
    const detail =
      data && typeof data.detail === 'string'
        ? data.detail
        : `The server answered ${response.status}.`;
    throw new ApiError(response.status, code, detail);
  }
  return data;
}

/** @param {string} message */
function showAlert(message) {
  ui.alert.textContent = message;
  ui.alert.hidden = false;
}

function clearAlert() {
  ui.alert.hidden = true;
  ui.alert.textContent = '';
}

/** @param {string} message */
function say(message) {
  ui.status.textContent = message;
}

/** @param {boolean} busy */
function setBusy(busy) {
  state.busy = busy;
  ui.pair.setAttribute('aria-busy', String(busy));
  for (const button of ui.answers) button.disabled = busy || !state.current;
  ui.undo.disabled = busy || !state.reviewer;
}

/**
 * Splits a text into words and the spaces between them.
 * @param {string} text
 */
function pieces(text) {
  return text.split(/(\s+)/u).filter((piece) => piece !== '');
}

/**
 * How a word is compared: lower case, without punctuation at its ends.
 * @param {string} word
 */
function wordKey(word) {
  return word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/**
 * For each word of `a` and of `b`, whether it is shared: in a longest
 * common subsequence of the two word lists.
 * @param {string[]} a
 * @param {string[]} b
 */
function sharedWords(a, b) {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      table[i][j] =
        a[i] === b[j]
          ? table[i + 1][j + 1] + 1
          : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }

  const inA = new Array(n).fill(false);
  const inB = new Array(m).fill(false);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      inA[i] = true;
      inB[j] = true;
      i += 1;
      j += 1;
    } else if (table[i + 1][j] >= table[i][j + 1]) {
      i += 1;
    } else {
      j += 1;
    }
  }
  return { inA, inB };
}

/**
 * Writes `text` into `target`, marking the words not shared.
 * @param {HTMLElement} target
 * @param {string[]} parts
 * @param {boolean[]} shared one entry per word of `parts`
 */
function renderText(target, parts, shared) {
  target.replaceChildren();
  let w = 0;
  for (const part of parts) {
    if (/^\s+$/u.test(part)) {
      target.append(part);
      continue;
    }
    const isShared = shared[w] || wordKey(part) === '';
    w += 1;
    if (isShared) {
      target.append(part);
    } else {
      const mark = document.createElement('mark');
      mark.className = 'diff';
      mark.textContent = part;
      target.append(mark);
    }
  }
}

/** @param {any} pair */
function showPair(pair) {
  state.current = pair;
  const partsA = pieces(pair.a.text);
  const partsB = pieces(pair.b.text);
  const wordsA = partsA.filter((p) => !/^\s+$/u.test(p)).map(wordKey);
  const wordsB = partsB.filter((p) => !/^\s+$/u.test(p)).map(wordKey);
  const { inA, inB } = sharedWords(wordsA, wordsB);

  renderText(ui.textA, partsA, inA);
  renderText(ui.textB, partsB, inB);
  ui.aId.textContent = `(item ${pair.a.id})`;
  ui.bId.textContent = `(item ${pair.b.id})`;
  ui.guess.textContent = pair.guess;
  ui.energy.textContent = Number(pair.energy).toFixed(3);
  ui.similarity.textContent = Number(pair.similarity).toFixed(2);
  ui.until.dateTime = pair.reserved_until;
  ui.until.textContent = new Date(pair.reserved_until).toLocaleTimeString();
  ui.note.value = '';

  ui.empty.hidden = true;
  ui.pair.hidden = false;
  ui.pair.dataset.pairId = String(pair.pair_id);
  ui.pair.focus();
}

/** @param {string} message */
function showEmpty(message) {
  state.current = null;
  ui.pair.hidden = true;
  delete ui.pair.dataset.pairId;
  ui.emptyMessage.textContent = message;
  ui.empty.hidden = false;
}

async function refreshProgress() {
  try {
    const stats = await api('GET', '/v1/review/stats');
    const mine = stats.reviewers.find(
      (/** @type {any} */ r) => r.reviewer === state.reviewer,
    ) ?? { duplicate: 0, different: 0, skipped: 0 };
    const labelled = mine.duplicate + mine.different;
    ui.progress.textContent =
      `${state.reviewer}: ${labelled} labelled ` +
      `(${mine.duplicate} duplicate, ${mine.different} different), ` +
      `${mine.skipped} skipped. ${stats.queue.waiting} pairs waiting.`;
  } catch {
    // Progress is a courtesy; a failure shows up on the next action.
  }
}

async function loadNext() {
  setBusy(true);
  try {
    const next = await api('GET', '/v1/review/next?count=1');
    const [pair] = next.pairs;
    if (pair) showPair(pair);
    else showEmpty(next.message ?? 'Nothing to review right now.');
  } catch (err) {
    showAlert(errorText(err));
  } finally {
    setBusy(false);
  }
  await refreshProgress();
}

/** @param {'duplicate' | 'different' | 'skip'} decision */
async function answer(decision) {
  const pair = state.current;
  if (!pair || state.busy) return;
  setBusy(true);
  try {
    const note = ui.note.value.trim();
    await api('POST', `/v1/review/${pair.pair_id}`, {
      decision,
      ...(note === '' ? {} : { note }),
    });
    clearAlert();
    say(`Saved pair ${pair.pair_id} as ${decision}.`);
  } catch (err) {
    setBusy(false);
    if (err instanceof ApiError && err.status === 409) {
      showAlert(
        err.code === 'reservation_expired'
          ? 'Your reservation of this pair expired before you answered, ' +
              'so the answer was not saved. Loading a pair again.'
          : `${err.message} Loading another pair.`,
      );
      await loadNext();
    } else {
      showAlert(errorText(err));
    }
    return;
  }
  await loadNext();
}

async function undo() {
  if (state.busy || !state.reviewer) return;
  setBusy(true);
  try {
    const undone = await api('POST', '/v1/review/undo');
    clearAlert();
    say(`Undid your last answer (${undone.decision}); the pair is back.`);
    if (undone.pair) showPair(undone.pair);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      say('Nothing to undo.');
    } else {
      showAlert(errorText(err));
    }
  } finally {
    setBusy(false);
  }
  await refreshProgress();
}

/** @param {unknown} err */
function errorText(err) {
  if (err instanceof ApiError && err.status === 401) {
    return (
      'The server needs an API key with the reviewer role, or refused ' +
      `the one given (${err.message}). Paste your key above and press ` +
      'Start reviewing.'
    );
  }
  if (err instanceof ApiError && err.status === 403) {
    return `This API key may not review: ${err.message}`;
  }
  if (err instanceof ApiError) return err.message;
  return `Something went wrong: ${String(err)}`;
}

/**
 * With an API key, the reviewer is the key's name: asks the server for
 * it. Returns false (and says why) when the key is refused.
 */
async function signIn() {
  try {
    const me = await api('GET', '/v1/whoami');
    if (typeof me.reviewer === 'string') {
      state.reviewer = me.reviewer;
      ui.name.value = me.reviewer;
    }
    return true;
  } catch (err) {
    showAlert(errorText(err));
    ui.key.focus();
    return false;
  }
}

/** @param {SubmitEvent} event */
async function start(event) {
  event.preventDefault();
  state.key = ui.key.value.trim();
  if (state.key !== '') {
    localStorage.setItem(API_KEY_KEY, state.key);
    clearAlert();
    if (await signIn()) await loadNext();
    return;
  }
  localStorage.removeItem(API_KEY_KEY);

  const name = ui.name.value.trim();
  if (!NAME_PATTERN.test(name)) {
    ui.name.setAttribute('aria-invalid', 'true');
    showAlert(
      'Enter a reviewer name of 1 to 64 letters, digits, spaces or . _ @ -',
    );
    ui.name.focus();
    return;
  }
  ui.name.removeAttribute('aria-invalid');
  clearAlert();
  state.reviewer = name;
  localStorage.setItem(NAME_KEY, name);
  await loadNext();
}

/** @param {KeyboardEvent} event */
function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = /** @type {HTMLElement} */ (event.target);
  if (target.closest('input, textarea, select')) return;

  const actions = {
    d: () => answer('duplicate'),
    n: () => answer('different'),
    s: () => answer('skip'),
    u: () => undo(),
  };
  const action = actions[/** @type {'d'} */ (event.key.toLowerCase())];
  if (!action || !state.reviewer) return;
  event.preventDefault();
  void action();
}

function init() {
  ui.form.addEventListener('submit', (event) => void start(event));
  const [duplicate, different, skip] = ui.answers;
  duplicate?.addEventListener('click', () => void answer('duplicate'));
  different?.addEventListener('click', () => void answer('different'));
  skip?.addEventListener('click', () => void answer('skip'));
  ui.undo.addEventListener('click', () => void undo());
  ui.retry.addEventListener('click', () => void loadNext());
  document.addEventListener('keydown', onKey);

  const savedKey = localStorage.getItem(API_KEY_KEY) ?? '';
  const saved = localStorage.getItem(NAME_KEY) ?? '';
  ui.name.value = saved;
  ui.key.value = savedKey;
  if (savedKey !== '') {
    state.key = savedKey;
    void signIn().then((ok) => (ok ? loadNext() : undefined));
  } else if (NAME_PATTERN.test(saved)) {
    state.reviewer = saved;
    void loadNext();
  } else {
    ui.name.focus();
  }
}

init();
