// Baton browser UI: one page, hash routing, no dependencies.
//
// Trust boundary: the server HTML-escapes `snippet` and section `html` (only <mark> survives), so those two
// go in with innerHTML. Every other field is document text written by someone else and goes in as text only.
'use strict';

(function () {
  const LIMIT = 10;
  const LANG_KEY = 'baton.lang';
  const KINDS = ['handover', 'manual', 'communication', 'record', 'answer'];

  const I18N = {
    zh: {
      brand: '交接知识库',
      searchLabel: '搜索知识库',
      placeholder: '搜索交接文档、手册、沟通记录…（按 / 聚焦）',
      searchButton: '搜索',
      loading: '搜索中…',
      homeLead: '输入关键词，查找前任留下的交接文档、操作手册、客户沟通与记录。',
      keySlash: '聚焦搜索框',
      keyEnter: '搜索 / 打开选中的结果',
      keyArrows: '在结果间移动',
      keyEsc: '从文档返回结果',
      prev: '上一页',
      next: '下一页',
      page: (p, n) => `第 ${p} / ${n} 页`,
      total: (n, ms) => `共 ${n} 条结果 · 用时 ${ms} 毫秒`,
      emptyTitle: (q) => `没有找到 “${q}”`,
      emptyTry: '可以试试：',
      emptyHints: [
        '换个说法，或用更短、更常见的关键词',
        '检查错别字，或换用同义词、英文术语',
        '去掉人名、日期等限定词后再搜',
      ],
      emptyPage: '这一页没有结果了。',
      firstPage: '回到第一页',
      back: '返回结果',
      backHome: '返回首页',
      outline: '目录',
      date: '日期',
      author: '作者',
      path: '位置',
      untitled: '（无标题）',
      opening: '正在打开文档…',
      requested: '命中段落',
      noSections: '这份文档没有可显示的正文。',
      netError: '无法连接服务器，请确认 Baton 正在运行。',
      httpError: (s) => `服务器返回错误（HTTP ${s}）`,
      badReply: '服务器的回复无法解析。',
      health: (d, u) => `已索引 ${d} 篇文档 · ${u} 个段落`,
      healthDown: '服务器暂未响应',
      kinds: {
        handover: '交接文档',
        manual: '操作手册',
        communication: '客户沟通',
        record: '记录',
        answer: '问答',
      },
    },
    en: {
      brand: 'Handover knowledge base',
      searchLabel: 'Search the knowledge base',
      placeholder: 'Search handovers, manuals, client mail… (press / to focus)',
      searchButton: 'Search',
      loading: 'Searching…',
      homeLead: 'Type a few words to find the handover notes, manuals, client communication and records left for you.',
      keySlash: 'focus the search box',
      keyEnter: 'search / open the selected result',
      keyArrows: 'move between results',
      keyEsc: 'back from a document to the results',
      prev: 'Previous',
      next: 'Next',
      page: (p, n) => `Page ${p} of ${n}`,
      total: (n, ms) => `${n} ${n === '1' ? 'result' : 'results'} · ${ms} ms`,
      emptyTitle: (q) => `No results for “${q}”`,
      emptyTry: 'Try:',
      emptyHints: [
        'rephrasing, or fewer and more common words',
        'checking the spelling, or a synonym or the Chinese term',
        'dropping names and dates from the query',
      ],
      emptyPage: 'There are no results on this page.',
      firstPage: 'Back to the first page',
      back: 'Back to results',
      backHome: 'Back to start',
      outline: 'Contents',
      date: 'Date',
      author: 'Author',
      path: 'Location',
      untitled: '(untitled)',
      opening: 'Opening the document…',
      requested: 'matching section',
      noSections: 'This document has no text to show.',
      netError: 'Cannot reach the server. Is Baton running?',
      httpError: (s) => `The server answered with an error (HTTP ${s})`,
      badReply: 'The server sent a reply that could not be read.',
      health: (d, u) => `${d} documents · ${u} sections indexed`,
      healthDown: 'The server is not answering',
      kinds: {
        handover: 'Handover',
        manual: 'Manual',
        communication: 'Client mail',
        record: 'Record',
        answer: 'Q&A',
      },
    },
  };

  const $ = (id) => document.getElementById(id);

  const state = {
    lang: 'zh',
    view: 'home',
    seq: 0, // bumps on every navigation so late replies of an older one are dropped
    search: null, // {q, offset, data}
    doc: null, // {id, q, data}
    lastSearchHash: '',
    selected: -1,
    health: null, // {documents, units} or {down: true}
  };

  function t(key) {
    const v = I18N[state.lang][key];
    return v === undefined ? I18N.zh[key] : v;
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(v) {
    return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  }

  function fmtCount(n) {
    const x = Number(n);
    if (!Number.isFinite(x)) return '0';
    return x.toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-US');
  }

  function fmtMs(ms) {
    const x = Number(ms);
    if (!Number.isFinite(x)) return '–';
    return x < 10 ? x.toFixed(1) : String(Math.round(x));
  }

  // ---- routing -------------------------------------------------------------------------------------

  function searchHash(q, offset) {
    const p = new URLSearchParams();
    p.set('q', q);
    if (offset > 0) p.set('offset', String(offset));
    return '#/search?' + p.toString();
  }

  function docHash(id, q) {
    let h = '#/doc/' + encodeURIComponent(id);
    if (q) {
      const p = new URLSearchParams();
      p.set('q', q);
      h += '?' + p.toString();
    }
    return h;
  }

  function parseHash() {
    const h = location.hash.replace(/^#/, '');
    const qi = h.indexOf('?');
    const path = qi >= 0 ? h.slice(0, qi) : h;
    const params = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : '');
    if (path === '/search') {
      const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
      return { name: 'search', q: (params.get('q') || '').trim(), offset };
    }
    if (path.startsWith('/doc/') && path.length > 5) {
      let id = path.slice(5);
      try {
        id = decodeURIComponent(id);
      } catch (e) {
        // keep the raw id; the server will say if it does not know it
      }
      return { name: 'doc', id, q: (params.get('q') || '').trim() };
    }
    return { name: 'home' };
  }

  function route() {
    const r = parseHash();
    if (r.name === 'search' && r.q) {
      runSearch(r.q, r.offset);
    } else if (r.name === 'doc') {
      openDoc(r.id, r.q);
    } else {
      showHome();
    }
  }

  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  // ---- server --------------------------------------------------------------------------------------

  async function api(url) {
    let res;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new Error(t('netError'));
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const msg = body && typeof body.error === 'string' && body.error ? body.error : t('httpError')(res.status);
      throw new Error(msg);
    }
    if (!body || typeof body !== 'object') throw new Error(t('badReply'));
    return body;
  }

  // ---- shared pieces -------------------------------------------------------------------------------

  function setState(s) {
    document.body.dataset.state = s;
    $('loading').hidden = s !== 'loading' || state.view !== 'search';
    $('results').classList.toggle('stale', s === 'loading');
  }

  function showView(name) {
    state.view = name;
    document.body.dataset.view = name;
    $('search-view').hidden = name === 'doc';
    $('doc-view').hidden = name !== 'doc';
    if (name !== 'doc') {
      $('doc-slot').textContent = '';
      $('doc-error').hidden = true;
    }
  }

  function showError(node, msg) {
    node.textContent = msg;
    node.hidden = !msg;
  }

  function badge(kind) {
    const k = str(kind);
    const known = KINDS.indexOf(k) >= 0;
    const b = el('span', 'badge kind-' + (known ? k : 'other'), known ? t('kinds')[k] : k || '?');
    return b;
  }

  // ---- home ----------------------------------------------------------------------------------------

  function showHome() {
    state.seq++;
    state.search = null;
    state.doc = null;
    state.selected = -1;
    showView('home');
    $('q').value = '';
    $('home').hidden = false;
    $('results').textContent = '';
    delete $('results').dataset.q;
    $('empty-slot').textContent = '';
    $('total').textContent = '';
    $('pager').hidden = true;
    showError($('error'), '');
    document.title = 'Baton ' + t('brand');
    setState('idle');
  }

  // ---- search --------------------------------------------------------------------------------------

  async function runSearch(q, offset) {
    const my = ++state.seq;
    const pageChanged = !state.search || state.search.q !== q || state.search.offset !== offset;
    showView('search');
    state.doc = null;
    state.lastSearchHash = searchHash(q, offset);
    $('q').value = q;
    $('home').hidden = true;
    showError($('error'), '');
    document.title = q + ' · Baton';
    setState('loading');

    const p = new URLSearchParams();
    p.set('q', q);
    p.set('limit', String(LIMIT));
    p.set('offset', String(offset));
    let data;
    try {
      data = await api('/api/search?' + p.toString());
    } catch (e) {
      if (my !== state.seq) return;
      state.search = null;
      clearResults();
      $('results').dataset.q = q;
      showError($('error'), e.message);
      setState('error');
      return;
    }
    if (my !== state.seq) return;
    state.search = { q, offset, data };
    renderSearch();
    if (pageChanged) window.scrollTo(0, 0);
    setState('done');
  }

  function clearResults() {
    $('results').textContent = '';
    $('empty-slot').textContent = '';
    $('total').textContent = '';
    $('pager').hidden = true;
    state.selected = -1;
  }

  function renderSearch() {
    const { q, offset, data } = state.search;
    const hits = Array.isArray(data.hits) ? data.hits : [];
    const total = Math.max(0, Number(data.total) || 0);
    clearResults();
    const results = $('results');
    results.dataset.q = q;

    if (hits.length === 0) {
      $('empty-slot').appendChild(renderEmpty(q, offset, total));
      renderPager(offset, total);
      return;
    }
    $('total').textContent = t('total')(fmtCount(total), fmtMs(data.took_ms));
    results.start = offset + 1;
    hits.forEach((h, i) => results.appendChild(renderHit(h, i, q)));
    renderPager(offset, total);
  }

  function renderHit(h, i, q) {
    const li = el('li', 'hit');
    li.dataset.index = String(i);

    const head = el('div', 'hit-head');
    head.appendChild(badge(h.kind));
    const title = str(h.title) || str(h.path) || t('untitled');
    const a = el('a', 'hit-title', title);
    a.href = docHash(str(h.id) || str(h.doc), q);
    head.appendChild(a);
    if (h.date) {
      const d = el('time', 'hit-date', str(h.date));
      d.dateTime = str(h.date);
      head.appendChild(d);
    }
    li.appendChild(head);

    if (h.section) li.appendChild(el('div', 'hit-section', str(h.section)));
    if (h.snippet) {
      const s = el('div', 'snippet');
      s.innerHTML = str(h.snippet); // escaped by the server, <mark> only
      li.appendChild(s);
    }
    if (h.path) li.appendChild(el('div', 'hit-path', str(h.path)));

    // A click anywhere on the card opens it, unless the user is selecting text to copy.
    li.addEventListener('click', (ev) => {
      if (ev.target.closest('a')) return;
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed) return;
      location.hash = a.getAttribute('href');
    });
    return li;
  }

  function renderEmpty(q, offset, total) {
    const box = el('div', 'empty');
    box.id = 'empty';
    box.setAttribute('role', 'status');
    if (offset > 0 && total > 0) {
      box.appendChild(el('p', 'empty-title', t('emptyPage')));
      const a = el('a', '', t('firstPage'));
      a.href = searchHash(q, 0);
      box.appendChild(a);
      return box;
    }
    box.appendChild(el('p', 'empty-title', t('emptyTitle')(q)));
    box.appendChild(el('p', 'empty-try', t('emptyTry')));
    const ul = el('ul', 'empty-hints');
    t('emptyHints').forEach((s) => ul.appendChild(el('li', '', s)));
    box.appendChild(ul);
    return box;
  }

  function renderPager(offset, total) {
    const pages = Math.max(1, Math.ceil(total / LIMIT));
    const page = Math.floor(offset / LIMIT) + 1;
    const show = total > LIMIT || offset > 0;
    $('pager').hidden = !show;
    $('prev').disabled = offset <= 0;
    $('next').disabled = offset + LIMIT >= total;
    $('page').textContent = t('page')(fmtCount(page), fmtCount(pages));
  }

  function pageBy(delta) {
    if (!state.search) return;
    const { q, offset } = state.search;
    const next = Math.max(0, offset + delta * LIMIT);
    if (next !== offset) go(searchHash(q, next));
  }

  function hitNodes() {
    return Array.prototype.slice.call($('results').querySelectorAll('.hit'));
  }

  function select(i) {
    const hits = hitNodes();
    hits.forEach((h, j) => {
      h.classList.toggle('selected', j === i);
      if (j === i) h.setAttribute('aria-current', 'true');
      else h.removeAttribute('aria-current');
    });
    state.selected = i >= 0 && i < hits.length ? i : -1;
    if (state.selected >= 0) {
      const node = hits[state.selected];
      const link = node.querySelector('.hit-title');
      if (link) link.focus({ preventScroll: true });
      node.scrollIntoView({ block: 'nearest' });
    }
  }

  // ---- document ------------------------------------------------------------------------------------

  async function openDoc(id, q) {
    const my = ++state.seq;
    showView('doc');
    state.selected = -1;
    const back = $('back');
    const backHash = state.lastSearchHash || (q ? searchHash(q, 0) : '#/');
    back.href = backHash;
    back.querySelector('[data-i18n]').dataset.i18n = backHash === '#/' ? 'backHome' : 'back';
    back.querySelector('[data-i18n]').textContent = t(backHash === '#/' ? 'backHome' : 'back');
    if (q) $('q').value = q;
    showError($('doc-error'), '');
    const slot = $('doc-slot');
    slot.textContent = '';
    slot.appendChild(el('p', 'opening', t('opening')));
    setState('loading');

    let url = '/api/docs/' + encodeURIComponent(id);
    if (q) {
      const p = new URLSearchParams();
      p.set('q', q);
      url += '?' + p.toString();
    }
    let data;
    try {
      data = await api(url);
    } catch (e) {
      if (my !== state.seq) return;
      slot.textContent = '';
      showError($('doc-error'), e.message);
      setState('error');
      return;
    }
    if (my !== state.seq) return;
    state.doc = { id, q, data };
    renderDoc(true);
    setState('done');
  }

  function lastPart(headingPath) {
    const parts = str(headingPath).split('›').map((s) => s.trim()).filter(Boolean);
    return parts.length ? parts[parts.length - 1] : '';
  }

  function levelClass(level) {
    const n = Math.min(6, Math.max(1, parseInt(level, 10) || 1));
    return 'lvl-' + n;
  }

  function renderDoc(scroll) {
    const { q, data } = state.doc;
    const slot = $('doc-slot');
    slot.textContent = '';
    const sections = Array.isArray(data.sections) ? data.sections : [];
    const unit = data.unit ? str(data.unit) : '';
    const title = str(data.title) || str(data.path) || t('untitled');
    document.title = title + ' · Baton';

    const art = el('article', 'doc');
    art.id = 'doc';

    const head = el('header', 'doc-head');
    const h1 = el('h1', 'doc-title');
    h1.appendChild(badge(data.kind));
    h1.appendChild(document.createTextNode(' '));
    h1.appendChild(el('span', 'doc-title-text', title));
    head.appendChild(h1);
    const meta = el('dl', 'doc-meta');
    const addMeta = (key, value, cls) => {
      if (!value) return;
      const row = el('div', 'meta-item' + (cls ? ' ' + cls : ''));
      row.appendChild(el('dt', '', t(key)));
      row.appendChild(el('dd', '', value));
      meta.appendChild(row);
    };
    addMeta('date', str(data.date));
    addMeta('author', str(data.author));
    addMeta('path', str(data.path), 'meta-path');
    head.appendChild(meta);
    art.appendChild(head);

    const body = el('div', 'doc-body');
    const nodes = [];
    const outlineItems = [];
    let current = null;

    const secWrap = el('div', 'sections');
    sections.forEach((s, i) => {
      const sec = el('section', 'doc-section');
      sec.id = 'sec-' + i;
      sec.dataset.unit = str(s.id);
      const heading = str(s.heading);
      if (heading) {
        const h = el('h2', 'section-heading ' + levelClass(s.level), lastPart(heading) || heading);
        h.title = heading;
        h.tabIndex = -1;
        sec.appendChild(h);
      }
      const text = el('div', 'section-text');
      text.innerHTML = str(s.html); // escaped by the server, <mark> only
      sec.appendChild(text);
      secWrap.appendChild(sec);
      nodes.push(sec);

      if (heading) {
        const li = el('li', levelClass(s.level));
        const a = el('a', '', lastPart(heading) || heading);
        a.href = docHash(str(s.id) || state.doc.id, q);
        a.title = heading;
        a.addEventListener('click', (ev) => {
          if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
          ev.preventDefault();
          sec.scrollIntoView({ block: 'start' });
          const hh = sec.querySelector('.section-heading');
          if (hh) hh.focus({ preventScroll: true });
        });
        li.appendChild(a);
        outlineItems.push({ li, index: i });
      }
      if (unit && str(s.id) === unit && !current) {
        current = sec;
        sec.classList.add('current');
        sec.setAttribute('aria-current', 'location');
        const tag = el('span', 'current-tag', t('requested'));
        sec.insertBefore(tag, sec.firstChild);
        if (outlineItems.length && outlineItems[outlineItems.length - 1].index === i) {
          outlineItems[outlineItems.length - 1].li.classList.add('current');
        }
      }
    });

    if (outlineItems.length >= 2) {
      const nav = el('nav', 'outline');
      nav.setAttribute('aria-label', t('outline'));
      nav.appendChild(el('h2', 'outline-title', t('outline')));
      const ol = el('ol');
      outlineItems.forEach((o) => ol.appendChild(o.li));
      nav.appendChild(ol);
      body.appendChild(nav);
    } else {
      body.classList.add('no-outline');
    }
    if (!nodes.length) secWrap.appendChild(el('p', 'muted', t('noSections')));
    body.appendChild(secWrap);
    art.appendChild(body);
    slot.appendChild(art);

    if (!scroll) return;
    if (current) {
      // Layout must exist before scrolling; one frame is enough.
      requestAnimationFrame(() => current.scrollIntoView({ block: 'start' }));
    } else {
      window.scrollTo(0, 0);
    }
  }

  // ---- health --------------------------------------------------------------------------------------

  async function loadHealth() {
    try {
      const h = await api('/api/health');
      state.health = { documents: h.documents, units: h.units };
    } catch (e) {
      state.health = { down: true };
    }
    renderHealth();
  }

  function renderHealth() {
    const node = $('health');
    if (!state.health) {
      node.textContent = '';
    } else if (state.health.down) {
      node.textContent = t('healthDown');
      node.classList.add('down');
    } else {
      node.textContent = t('health')(fmtCount(state.health.documents), fmtCount(state.health.units));
      node.classList.remove('down');
    }
  }

  // ---- language ------------------------------------------------------------------------------------

  function readLang() {
    try {
      const v = window.localStorage.getItem(LANG_KEY);
      if (v === 'en' || v === 'zh') return v;
    } catch (e) {
      // storage may be disabled; fall back to Chinese
    }
    return 'zh';
  }

  function applyLang(lang) {
    state.lang = lang;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-i18n]').forEach((n) => {
      n.textContent = t(n.dataset.i18n);
    });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((n) => {
      n.placeholder = t(n.dataset.i18nPlaceholder);
    });
    const btn = $('lang');
    btn.classList.toggle('is-en', lang === 'en');
    btn.setAttribute('aria-label', lang === 'zh' ? 'Switch to English' : '切换到中文');
  }

  function toggleLang() {
    const lang = state.lang === 'zh' ? 'en' : 'zh';
    try {
      window.localStorage.setItem(LANG_KEY, lang);
    } catch (e) {
      // not persisted; still switch for this page
    }
    applyLang(lang);
    renderHealth();
    if (state.view === 'search' && state.search) {
      const sel = state.selected;
      renderSearch();
      if (sel >= 0) select(sel);
    } else if (state.view === 'doc' && state.doc) {
      renderDoc(false);
    }
  }

  // ---- keyboard ------------------------------------------------------------------------------------

  function isTyping(node) {
    if (!node || node === document.body) return false;
    const tag = node.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || node.isContentEditable;
  }

  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    const target = e.target;
    const typing = isTyping(target);
    const q = $('q');

    if (e.key === '/' && !typing) {
      e.preventDefault();
      q.focus();
      q.select();
      return;
    }
    if (e.key === 'Escape' && state.view === 'doc' && !typing) {
      e.preventDefault();
      go($('back').getAttribute('href') || '#/');
      return;
    }
    if (state.view !== 'search') return;
    const hits = hitNodes();
    if (!hits.length) return;

    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (typing && target !== q) return;
      const down = e.key === 'ArrowDown';
      if (target === q && !down) return;
      e.preventDefault();
      let i = target === q ? 0 : state.selected + (down ? 1 : -1);
      if (i >= hits.length) i = hits.length - 1;
      if (i < 0) {
        select(-1);
        q.focus();
        return;
      }
      select(i);
      return;
    }
    // Enter on a focused title link is handled by the browser; this covers a selection whose focus moved away.
    if (e.key === 'Enter' && !typing && state.selected >= 0 && !target.closest('a, button')) {
      e.preventDefault();
      const link = hits[state.selected].querySelector('.hit-title');
      if (link) location.hash = link.getAttribute('href');
    }
  }

  // ---- start ---------------------------------------------------------------------------------------

  function start() {
    applyLang(readLang());
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const q = $('q').value.trim();
      go(q ? searchHash(q, 0) : '#/');
    });
    $('lang').addEventListener('click', toggleLang);
    $('prev').addEventListener('click', () => pageBy(-1));
    $('next').addEventListener('click', () => pageBy(1));
    $('results').addEventListener('focusin', (e) => {
      const hit = e.target.closest('.hit');
      if (hit) {
        const i = hitNodes().indexOf(hit);
        if (i !== state.selected) select(i);
      }
    });
    document.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', route);
    route();
    loadHealth();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
