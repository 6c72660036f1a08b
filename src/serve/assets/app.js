// dateline's page. The URL holds the whole state under the API's parameter names, so a link
// reproduces the view and Back goes to the previous one; everything shown comes from /api/.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PAGE_SIZE = 10;
const FACET_SIZE = 8;
const TYPES = [['person', 'People'], ['org', 'Organisations'], ['place', 'Places']];

const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text, never HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// State <-> URL

function readState() {
  const params = new URLSearchParams(location.search);
  const offset = Number.parseInt(params.get('offset') || '0', 10);
  return {
    q: params.get('q') || '',
    from: params.get('from') || '',
    to: params.get('to') || '',
    entity: params.getAll('entity').filter(Boolean),
    type: params.get('type') || '',
    sort: params.get('sort') || 'relevance',
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
    id: params.get('id') || '',
  };
}

/** Query parameters of a state; `api` leaves out what only the page uses (the article id). */
function queryOf(state, { api = false } = {}) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  for (const name of state.entity) params.append('entity', name);
  if (state.type) params.set('type', state.type);
  if (state.sort && state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.offset) params.set('offset', String(state.offset));
  if (state.id && !api) params.set('id', state.id);
  return params;
}

function hrefOf(state) {
  const query = queryOf(state).toString();
  return query ? `/?${query}` : '/';
}

let current = readState();
let pushedHere = false;

/** Goes to a new state: a new history entry, then the view. */
function navigate(changes) {
  const next = { ...current, ...changes };
  if (!('offset' in changes) && !('id' in changes)) next.offset = 0;
  if (!('id' in changes)) next.id = '';
  history.pushState(null, '', hrefOf(next));
  pushedHere = true;
  show(readState());
}

window.addEventListener('popstate', () => show(readState()));

// ---------------------------------------------------------------------------------------------
// Talking to the API

class ApiError extends Error {}

async function api(path, params) {
  const query = params && params.toString();
  let response;
  try {
    response = await fetch(query ? `${path}?${query}` : path, { headers: { Accept: 'application/json' } });
  } catch (err) {
    throw new ApiError('The server cannot be reached. Is dateline serve still running?');
  }
  let body;
  try {
    body = await response.json();
  } catch (err) {
    throw new ApiError(`The server answered ${response.status} without JSON.`);
  }
  if (!response.ok) {
    throw new ApiError(body && body.error ? body.error.message : `Error ${response.status}`);
  }
  return body;
}

// Each view loads under a generation number; answers for an older view are dropped.
let generation = 0;

// ---------------------------------------------------------------------------------------------
// The view

function show(state) {
  current = state;
  const mine = ++generation;
  syncControls(state);
  renderChips(state);
  if (state.id) {
    document.body.classList.add('reading');
    $('article').hidden = false;
    loadArticle(state, mine);
  } else {
    document.body.classList.remove('reading');
    $('article').hidden = true;
    loadResults(state, mine);
    loadTimeline(state, mine);
    loadFacets(state, mine);
  }
}

function syncControls(state) {
  if (document.activeElement !== $('q')) $('q').value = state.q;
  $('from').value = state.from;
  $('to').value = state.to;
  $('sort').value = ['relevance', 'newest', 'oldest'].includes(state.sort) ? state.sort : 'relevance';
  $('clear-dates').hidden = !(state.from || state.to);
  document.title = state.q ? `${state.q} · dateline` : 'dateline';
}

function renderChips(state) {
  const chips = [];
  for (const name of state.entity) {
    chips.push(el('span', { class: 'chip', 'data-entity': name },
      el('span', { class: 'kind' }, 'entity'), name,
      el('button', {
        type: 'button',
        'aria-label': `Remove the filter ${name}`,
        title: 'Remove this filter',
        onclick: () => navigate({ entity: current.entity.filter((e) => e !== name) }),
      }, '×')));
  }
  if (state.from || state.to) {
    chips.push(el('span', { class: 'chip', 'data-dates': '' },
      el('span', { class: 'kind' }, 'dates'), `${state.from || '…'} → ${state.to || '…'}`,
      el('button', {
        type: 'button', 'aria-label': 'Remove the date range', title: 'Remove the date range',
        onclick: () => navigate({ from: '', to: '' }),
      }, '×')));
  }
  if (state.type) {
    chips.push(el('span', { class: `chip ${state.type}` },
      el('span', { class: 'kind' }, 'type'), state.type,
      el('button', {
        type: 'button', 'aria-label': 'Remove the type filter', onclick: () => navigate({ type: '' }),
      }, '×')));
  }
  $('chips').replaceChildren(...chips);
}

function setStatus(text, kind = '') {
  const status = $('status');
  status.className = `status ${kind}`.trim();
  status.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Results

async function loadResults(state, mine) {
  setStatus('Searching…', 'loading');
  $('hits').setAttribute('aria-busy', 'true');
  const params = queryOf(state, { api: true });
  params.set('limit', String(PAGE_SIZE));
  let answer;
  try {
    answer = await api('/api/search', params);
  } catch (err) {
    if (mine !== generation) return;
    setStatus(err.message, 'error');
    $('hits').replaceChildren();
    $('pager').hidden = true;
    return;
  } finally {
    $('hits').removeAttribute('aria-busy');
  }
  if (mine !== generation) return;
  renderResults(state, answer);
}

function renderResults(state, answer) {
  const { total, hits, offset } = answer;
  if (total === 0) {
    setStatus('');
    const hints = [];
    if (state.entity.length || state.from || state.to) hints.push('remove a filter or widen the dates');
    if (state.q) hints.push('try fewer or other words');
    $('hits').replaceChildren(el('li', { class: 'empty' },
      el('strong', {}, 'No articles match'), hints.length ? `You could ${hints.join(', or ')}.` : ''));
    $('pager').hidden = true;
    return;
  }
  const first = offset + 1;
  const last = offset + hits.length;
  const what = state.q ? 'matching articles' : 'articles';
  setStatus(hits.length
    ? `${total.toLocaleString('en')} ${what} · ${first.toLocaleString('en')}–${last.toLocaleString('en')} shown`
    : `${total.toLocaleString('en')} ${what}; this page is past the last one`);
  $('hits').replaceChildren(...hits.map((hit) => renderHit(state, hit)));
  const pages = Math.ceil(total / PAGE_SIZE);
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  $('pager').hidden = pages <= 1;
  $('prev').disabled = offset === 0;
  $('next').disabled = last >= total;
  $('page-label').textContent = `Page ${page.toLocaleString('en')} of ${pages.toLocaleString('en')}`;
}

/** The snippet with its highlights; they are byte ranges of the UTF-8 text. */
function snippetNodes(text, highlights) {
  const bytes = new TextEncoder().encode(text);
  const decode = (a, b) => new TextDecoder().decode(bytes.subarray(a, b));
  const nodes = [];
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > bytes.length || start >= end) continue;
    nodes.push(decode(at, start), el('mark', {}, decode(start, end)));
    at = end;
  }
  nodes.push(decode(at, bytes.length));
  return nodes;
}

function entityButton(entity) {
  return el('button', {
    type: 'button',
    class: `entity ${entity.type}`,
    title: `Only articles mentioning ${entity.name} (${entity.type})`,
    onclick: () => addEntity(entity.name),
  }, entity.name);
}

function addEntity(name) {
  if (current.entity.some((e) => e.toLowerCase() === name.toLowerCase())) return;
  navigate({ entity: [...current.entity, name] });
}

function renderHit(state, hit) {
  const link = el('a', {
    href: hrefOf({ ...state, id: hit.id }),
    onclick: (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate({ id: hit.id, offset: state.offset });
    },
  }, hit.title || '(untitled)');
  return el('li', { class: 'hit', 'data-id': hit.id },
    el('div', { class: 'meta' }, el('time', { datetime: hit.date }, formatDay(hit.date)),
      el('span', { class: 'path' }, shortPath(hit.path))),
    el('h3', {}, link),
    el('p', { class: 'snippet' }, snippetNodes(hit.snippet, hit.highlights)),
    hit.entities.length ? el('div', { class: 'entity-list' }, hit.entities.slice(0, 12).map(entityButton)) : null);
}

function shortPath(path) {
  const parts = path.split('/').filter(Boolean);
  return parts.length > 3 ? `…/${parts.slice(-3).join('/')}` : path;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function formatDay(day) {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

// ---------------------------------------------------------------------------------------------
// Timeline chart

let chart = null; // { interval, buckets }

/** Bucket size for a span of months: about 20 to 300 bars. */
function intervalFor(months) {
  if (months <= 3) return 'day';
  if (months <= 24) return 'week';
  if (months <= 300) return 'month';
  return 'year';
}

async function loadTimeline(state, mine) {
  const params = queryOf(state, { api: true });
  params.delete('sort');
  params.delete('offset');
  params.set('interval', 'month');
  try {
    let answer = await api('/api/timeline', params);
    const interval = intervalFor(answer.buckets.length);
    if (interval !== 'month') {
      params.set('interval', interval);
      answer = await api('/api/timeline', params);
    }
    if (mine !== generation) return;
    drawChart(answer);
  } catch (err) {
    if (mine !== generation) return;
    drawChart({ interval: 'month', buckets: [], total: 0 });
  }
}

function addDays(day, n) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

/** The last day of bucket `i`. */
function bucketEnd(i) {
  const { buckets, interval } = chart;
  if (i + 1 < buckets.length) return addDays(buckets[i + 1].start, -1);
  const start = buckets[i].start;
  if (interval === 'day') return start;
  if (interval === 'week') return addDays(start, 6);
  const [y, m] = start.split('-').map(Number);
  if (interval === 'year') return `${y}-12-31`;
  const next = new Date(Date.UTC(y, m, 1));
  next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}

/** Dates for buckets first..last, as short as the interval allows (`1987-03`, `1987`). */
function rangeOf(first, last) {
  const { buckets, interval } = chart;
  if (interval === 'year') return [buckets[first].start.slice(0, 4), buckets[last].start.slice(0, 4)];
  if (interval === 'month') return [buckets[first].start.slice(0, 7), buckets[last].start.slice(0, 7)];
  return [buckets[first].start, bucketEnd(last)];
}

function label(start, interval) {
  if (interval === 'year') return start.slice(0, 4);
  if (interval === 'month') {
    const [y, m] = start.split('-').map(Number);
    return `${MONTHS[m - 1]} ${y}`;
  }
  return formatDay(start);
}

function drawChart(timeline) {
  chart = { interval: timeline.interval, buckets: timeline.buckets };
  const svg = $('chart');
  const buckets = timeline.buckets;
  const width = Math.max(buckets.length, 1) * 10;
  const height = 100;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const shapes = [];
  buckets.forEach((bucket, i) => {
    const h = bucket.count ? Math.max(2, (bucket.count / max) * (height - 6)) : 0;
    const rect = document.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('class', 'bar in');
    rect.setAttribute('x', String(i * 10 + 1));
    rect.setAttribute('width', '8');
    rect.setAttribute('y', String(height - h));
    rect.setAttribute('height', String(h));
    rect.dataset.start = bucket.start;
    rect.dataset.count = String(bucket.count);
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = `${label(bucket.start, timeline.interval)}: ${bucket.count.toLocaleString('en')}`;
    rect.append(title);
    shapes.push(rect);
  });
  const base = document.createElementNS(SVG_NS, 'line');
  base.setAttribute('class', 'baseline');
  base.setAttribute('x1', '0');
  base.setAttribute('x2', String(width));
  base.setAttribute('y1', String(height - 0.5));
  base.setAttribute('y2', String(height - 0.5));
  base.setAttribute('vector-effect', 'non-scaling-stroke');
  const selection = document.createElementNS(SVG_NS, 'rect');
  selection.setAttribute('class', 'selection');
  selection.setAttribute('y', '0');
  selection.setAttribute('height', String(height));
  selection.setAttribute('width', '0');
  selection.setAttribute('vector-effect', 'non-scaling-stroke');
  selection.style.display = 'none';
  selection.id = 'chart-selection';
  svg.replaceChildren(base, ...shapes, selection);
  const per = { day: 'day', week: 'week', month: 'month', year: 'year' }[timeline.interval];
  $('timeline-label').textContent = buckets.length
    ? `${(timeline.total || 0).toLocaleString('en')} matches, per ${per}`
    : 'No matches to chart';
  $('timeline').dataset.interval = timeline.interval;
  $('axis-start').textContent = buckets.length ? label(buckets[0].start, timeline.interval) : '';
  $('axis-end').textContent = buckets.length > 1 ? label(buckets[buckets.length - 1].start, timeline.interval) : '';
}

/** The bucket under a pointer's x position. */
function bucketAt(clientX) {
  const box = $('chart').getBoundingClientRect();
  const n = chart ? chart.buckets.length : 0;
  if (!n || box.width === 0) return -1;
  const i = Math.floor(((clientX - box.left) / box.width) * n);
  return Math.min(n - 1, Math.max(0, i));
}

let drag = null; // { first, last }

function showSelection() {
  const selection = $('chart-selection');
  if (!selection || !drag) return;
  const lo = Math.min(drag.first, drag.last);
  const hi = Math.max(drag.first, drag.last);
  selection.style.display = '';
  selection.setAttribute('x', String(lo * 10));
  selection.setAttribute('width', String((hi - lo + 1) * 10));
}

$('chart').addEventListener('pointerdown', (event) => {
  const i = bucketAt(event.clientX);
  if (i < 0) return;
  event.preventDefault();
  $('chart').setPointerCapture(event.pointerId);
  drag = { first: i, last: i };
  showSelection();
});
$('chart').addEventListener('pointermove', (event) => {
  if (!drag) return;
  drag.last = bucketAt(event.clientX);
  showSelection();
});
$('chart').addEventListener('pointerup', (event) => {
  if (!drag) return;
  drag.last = bucketAt(event.clientX);
  const lo = Math.min(drag.first, drag.last);
  const hi = Math.max(drag.first, drag.last);
  drag = null;
  const [from, to] = rangeOf(lo, hi);
  navigate({ from, to });
});
$('chart').addEventListener('pointercancel', () => {
  drag = null;
  const selection = $('chart-selection');
  if (selection) selection.style.display = 'none';
});

// ---------------------------------------------------------------------------------------------
// Entity facets

async function loadFacets(state, mine) {
  const params = queryOf(state, { api: true });
  params.delete('sort');
  params.delete('offset');
  params.delete('type');
  params.set('limit', String(FACET_SIZE + state.entity.length));
  const lists = await Promise.all(TYPES.map(async ([type]) => {
    const typed = new URLSearchParams(params);
    typed.set('type', type);
    try {
      return (await api('/api/entities', typed)).entities;
    } catch (err) {
      return null;
    }
  }));
  if (mine !== generation) return;
  const chosen = new Set(state.entity.map((e) => e.toLowerCase()));
  TYPES.forEach(([type], k) => {
    const list = document.querySelector(`#facets section[data-type="${type}"] ul`);
    const entities = (lists[k] || []).filter((e) => !chosen.has(e.name.toLowerCase())).slice(0, FACET_SIZE);
    if (!entities.length) {
      list.replaceChildren(el('li', { class: 'none' }, lists[k] ? 'None among the matches' : 'Not available'));
      return;
    }
    const top = entities[0].count;
    list.replaceChildren(...entities.map((entity) => el('li', {},
      el('button', {
        type: 'button',
        class: `facet ${type}`,
        'data-name': entity.name,
        title: `Only articles mentioning ${entity.name}`,
        onclick: () => addEntity(entity.name),
      },
      el('span', { class: 'bar-bg', style: null }), el('span', { class: 'name' }, entity.name),
      el('span', { class: 'count' }, entity.count.toLocaleString('en'))))));
    list.querySelectorAll('.bar-bg').forEach((bar, i) => {
      bar.style.width = `${Math.round((entities[i].count / top) * 100)}%`;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Article view

async function loadArticle(state, mine) {
  for (const id of ['article-title', 'article-path', 'article-url', 'article-date']) $(id).textContent = '';
  $('article-entities').replaceChildren();
  $('article-body').replaceChildren(el('p', { class: 'status loading' }, 'Loading the article…'));
  let article;
  try {
    article = await api(`/api/articles/${encodeURIComponent(state.id)}`);
  } catch (err) {
    if (mine !== generation) return;
    $('article-title').textContent = 'Article not available';
    $('article-body').replaceChildren(el('p', { class: 'status error' }, err.message));
    return;
  }
  if (mine !== generation) return;
  document.title = `${article.title} · dateline`;
  $('article-title').textContent = article.title;
  $('article-date').textContent = formatDay(article.date);
  $('article-date').setAttribute('datetime', article.date);
  $('article-path').textContent = article.path;
  $('article-url').textContent = article.url || '';
  $('article-entities').replaceChildren(...article.entities.map((entity) => el('a', {
    class: entity.type,
    href: hrefOf({ q: '', from: '', to: '', entity: [entity.name], type: '', sort: 'newest', offset: 0, id: '' }),
    title: `Search for articles mentioning ${entity.name} (${entity.type})`,
    onclick: (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate({ q: '', from: '', to: '', entity: [entity.name], type: '', sort: 'newest', id: '' });
    },
  }, entity.name)));
  $('article-body').replaceChildren(...markedParagraphs(article.body, article.entities));
  $('article').focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The body's paragraphs with every literal mention of an entity marked. */
function markedParagraphs(body, entities) {
  const names = [...entities].sort((a, b) => b.name.length - a.name.length);
  const typeOf = new Map(names.map((e) => [e.name, e.type]));
  const pattern = names.length
    ? new RegExp(`(?<![\\p{L}\\p{N}])(${names.map((e) => escapeRegExp(e.name)).join('|')})(?![\\p{L}\\p{N}])`, 'gu')
    : null;
  return body.split(/\n\s*\n/).filter((p) => p.trim()).map((paragraph) => {
    const text = paragraph.replace(/\s+/g, ' ').trim();
    if (!pattern) return el('p', {}, text);
    const nodes = [];
    let at = 0;
    for (const match of text.matchAll(pattern)) {
      nodes.push(text.slice(at, match.index));
      const type = typeOf.get(match[1]);
      nodes.push(el('span', { class: `ent ${type}`, title: type }, match[1]));
      at = match.index + match[1].length;
    }
    nodes.push(text.slice(at));
    return el('p', {}, nodes);
  });
}

function backToResults() {
  if (pushedHere) history.back();
  else navigate({ id: '', offset: current.offset });
}

// ---------------------------------------------------------------------------------------------
// Controls and keys

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  navigate({ q: $('q').value.trim() });
});
$('sort').addEventListener('change', () => navigate({ sort: $('sort').value }));
function applyDates() {
  navigate({ from: $('from').value.trim(), to: $('to').value.trim() });
}
$('apply-dates').addEventListener('click', applyDates);
for (const id of ['from', 'to']) {
  $(id).addEventListener('keydown', (event) => {
    if (event.key === 'Enter') applyDates();
  });
}
$('clear-dates').addEventListener('click', () => navigate({ from: '', to: '' }));
$('prev').addEventListener('click', () => navigate({ offset: Math.max(0, current.offset - PAGE_SIZE) }));
$('next').addEventListener('click', () => navigate({ offset: current.offset + PAGE_SIZE }));
$('back').addEventListener('click', backToResults);
$('home').addEventListener('click', (event) => {
  event.preventDefault();
  navigate({ q: '', from: '', to: '', entity: [], type: '', sort: 'relevance' });
});

document.addEventListener('keydown', (event) => {
  const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
  if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    $('q').focus();
    $('q').select();
  } else if (event.key === 'Escape' && current.id) {
    backToResults();
  } else if (event.key === 'Escape' && document.activeElement === $('q')) {
    $('q').blur();
  }
});

show(current);
