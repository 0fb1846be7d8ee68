// Baton browser UI: one page, hash routing, no dependencies.
//
// Trust boundary: the server HTML-escapes `snippet` and section `html` (only <mark> survives), so those two
// go in with innerHTML. Every other field (titles, paths, facet values, filter values, the suggestion) is text
// written by someone else and goes in as text only.
//
// The search state lives in the hash: #/search?q=…&kind=manual&sort=date&offset=10, so back/forward and reload
// show the same page. Filters typed into the box (kind:manual) stay in q; filters clicked in the sidebar are
// their own parameters. The server echoes both in query.filters.
'use strict';

(function () {
  const LIMIT = 10;
  const LANG_KEY = 'baton.lang';
  const KINDS = ['handover', 'manual', 'communication', 'record', 'answer'];
  const FILTER_KEYS = ['kind', 'type', 'year', 'client', 'project', 'author', 'after', 'before'];
  const FACET_KEYS = ['kind', 'type', 'year', 'client', 'project', 'author'];
  const FACET_SHOWN = 6; // values shown per facet before "more"
  const NARROW = window.matchMedia('(max-width: 760px)');

  const I18N = {
    zh: {
      brand: '交接知识库',
      searchLabel: '搜索知识库',
      placeholder: '搜索交接文档、手册、沟通记录…（按 / 聚焦）',
      searchButton: '搜索',
      loading: '搜索中…',
      homeLead: '输入关键词，查找前任留下的交接文档、操作手册、客户沟通与记录。',
      homeFilters: '可以在搜索框里加筛选：kind:manual client:瑞丰 after:2024-01-01',
      keySlash: '聚焦搜索框',
      keyEnter: '搜索 / 打开选中的结果',
      keyArrows: '在结果间移动',
      keyLeftRight: '展开 / 收起同一文档的其他匹配',
      keyEsc: '从文档返回结果',
      prev: '上一页',
      next: '下一页',
      pagerLabel: '分页',
      page: (p, n) => `第 ${p} / ${n} 页`,
      pageN: (p) => `第 ${p} 页`,
      total: (n, ms) => `共 ${n} 条结果 · 用时 ${ms} 毫秒`,
      sortLabel: '排序',
      sortRelevance: '相关度',
      sortDate: '日期',
      didYouMean: '您是不是要找：',
      filters: '筛选',
      filtersActive: (n) => `筛选（${n}）`,
      chipsLabel: '当前筛选',
      removeFilter: (k, v) => `移除筛选 ${k}：${v}`,
      typedFilter: '在搜索框中输入的筛选',
      clearFilters: '清除筛选',
      facetMore: (n) => `更多（${n}）`,
      facetLess: '收起',
      moreMatches: (n) => `另有 ${n} 处匹配`,
      moreRest: (n) => `还有 ${n} 处，打开文档查看`,
      emptyTitle: (q) => `没有找到 “${q}”`,
      emptyTry: '可以试试：',
      emptyHints: [
        '换个说法，或用更短、更常见的关键词',
        '检查错别字，或换用同义词、英文术语',
        '去掉人名、日期等限定词后再搜',
      ],
      emptyFiltered: '移除上方的筛选条件再试',
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
        communication: '沟通记录',
        record: '记录/表格',
        answer: '问答',
      },
      facetNames: {
        kind: '类别',
        type: '格式',
        year: '年份',
        client: '客户',
        project: '项目',
        author: '作者',
        after: '起始日期',
        before: '截止日期',
      },
      types: {
        markdown: 'Markdown',
        text: '纯文本',
        html: '网页',
        mail: '邮件',
        chat: '聊天记录',
        csv: 'CSV',
        docx: 'Word',
        xlsx: 'Excel',
        pptx: 'PowerPoint',
        odt: 'ODT',
        pdf: 'PDF',
      },
    },
    en: {
      brand: 'Handover knowledge base',
      searchLabel: 'Search the knowledge base',
      placeholder: 'Search handovers, manuals, client mail… (press / to focus)',
      searchButton: 'Search',
      loading: 'Searching…',
      homeLead: 'Type a few words to find the handover notes, manuals, client communication and records left for you.',
      homeFilters: 'Add filters in the box: kind:manual client:瑞丰 after:2024-01-01',
      keySlash: 'focus the search box',
      keyEnter: 'search / open the selected result',
      keyArrows: 'move between results',
      keyLeftRight: 'show / hide the other matches in the same document',
      keyEsc: 'back from a document to the results',
      prev: 'Previous',
      next: 'Next',
      pagerLabel: 'Pages',
      page: (p, n) => `Page ${p} of ${n}`,
      pageN: (p) => `Page ${p}`,
      total: (n, ms) => `${n} ${n === '1' ? 'result' : 'results'} · ${ms} ms`,
      sortLabel: 'Sort',
      sortRelevance: 'Relevance',
      sortDate: 'Date',
      didYouMean: 'Did you mean: ',
      filters: 'Filters',
      filtersActive: (n) => `Filters (${n})`,
      chipsLabel: 'Active filters',
      removeFilter: (k, v) => `Remove filter ${k}: ${v}`,
      typedFilter: 'typed in the search box',
      clearFilters: 'Clear filters',
      facetMore: (n) => `More (${n})`,
      facetLess: 'Less',
      moreMatches: (n) => `${n} more ${n === '1' ? 'match' : 'matches'}`,
      moreRest: (n) => `${n} more in the document`,
      emptyTitle: (q) => `No results for “${q}”`,
      emptyTry: 'Try:',
      emptyHints: [
        'rephrasing, or fewer and more common words',
        'checking the spelling, or a synonym or the Chinese term',
        'dropping names and dates from the query',
      ],
      emptyFiltered: 'removing the filters above',
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
        communication: 'Communication',
        record: 'Record / sheet',
        answer: 'Q&A',
      },
      facetNames: {
        kind: 'Kind',
        type: 'Format',
        year: 'Year',
        client: 'Client',
        project: 'Project',
        author: 'Author',
        after: 'After',
        before: 'Before',
      },
      types: {
        markdown: 'Markdown',
        text: 'Plain text',
        html: 'Web page',
        mail: 'Mail',
        chat: 'Chat',
        csv: 'CSV',
        docx: 'Word',
        xlsx: 'Excel',
        pptx: 'PowerPoint',
        odt: 'ODT',
        pdf: 'PDF',
      },
    },
  };

  const $ = (id) => document.getElementById(id);

  const state = {
    lang: 'zh',
    view: 'home',
    seq: 0, // bumps on every navigation so late replies of an older one are dropped
    search: null, // {s: {q, filters, sort, offset}, data, expanded: Set of hit ids whose other matches are shown}
    doc: null, // {id, q, data}
    lastSearchHash: '',
    lastSearchQ: '', // the query box as that search had it, typed filters included
    selected: -1,
    facetOpen: new Set(), // facets whose long value list is shown in full
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

  // How a filter value reads: kinds and formats by their localized name, everything else as it is.
  function valueLabel(key, value) {
    const v = str(value);
    if (key === 'kind' && KINDS.indexOf(v) >= 0) return t('kinds')[v];
    if (key === 'type' && Object.prototype.hasOwnProperty.call(t('types'), v)) return t('types')[v];
    return v;
  }

  // ---- routing -------------------------------------------------------------------------------------

  // s: {q, filters: {key: value}, sort: 'relevance'|'date', offset}
  function searchHash(s) {
    const p = new URLSearchParams();
    p.set('q', s.q);
    const filters = s.filters || {};
    FILTER_KEYS.forEach((k) => {
      if (filters[k]) p.set(k, filters[k]);
    });
    if (s.sort === 'date') p.set('sort', 'date');
    if (s.offset > 0) p.set('offset', String(s.offset));
    return '#/search?' + p.toString();
  }

  function withSearch(s, change) {
    return Object.assign({ q: s.q, filters: Object.assign({}, s.filters), sort: s.sort, offset: s.offset }, change);
  }

  function docHash(id, q, searchId) {
    let h = '#/doc/' + encodeURIComponent(id);
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (searchId) p.set('search', String(searchId));
    const qs = p.toString();
    return qs ? h + '?' + qs : h;
  }

  function parseHash() {
    const h = location.hash.replace(/^#/, '');
    const qi = h.indexOf('?');
    const path = qi >= 0 ? h.slice(0, qi) : h;
    const params = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : '');
    if (path === '/search') {
      const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
      const filters = {};
      FILTER_KEYS.forEach((k) => {
        const v = (params.get(k) || '').trim();
        if (v) filters[k] = v;
      });
      const sort = params.get('sort') === 'date' ? 'date' : 'relevance';
      return { name: 'search', s: { q: (params.get('q') || '').trim(), filters, sort, offset } };
    }
    if (path.startsWith('/doc/') && path.length > 5) {
      let id = path.slice(5);
      try {
        id = decodeURIComponent(id);
      } catch (e) {
        // keep the raw id; the server will say if it does not know it
      }
      const sid = (params.get('search') || '').trim();
      return { name: 'doc', id, q: (params.get('q') || '').trim(), searchId: /^\d+$/.test(sid) ? sid : '' };
    }
    return { name: 'home' };
  }

  function route() {
    const r = parseHash();
    if (r.name === 'search' && r.s.q) {
      runSearch(r.s);
    } else if (r.name === 'doc') {
      openDoc(r.id, r.q, r.searchId);
    } else {
      showHome();
    }
  }

  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  // ---- filters typed into the query box ------------------------------------------------------------

  // `key:value` or `key:"two words"` as a whole word of q (a full-width colon counts too).
  function typedFilterRe(key) {
    return new RegExp('(^|\\s)' + key + '[:：](?:"[^"]*"?|“[^”]*”?|\\S*)', 'gi');
  }

  function hasTypedFilter(q, key) {
    return typedFilterRe(key).test(q);
  }

  function removeTypedFilter(q, key) {
    return q.replace(typedFilterRe(key), '$1').replace(/\s+/g, ' ').trim();
  }

  // The active filters as chips: clicked ones from the URL, typed ones as the server read them from q.
  function activeFilters(s, query) {
    const echoed = query && query.filters && typeof query.filters === 'object' ? query.filters : {};
    const out = [];
    FILTER_KEYS.forEach((key) => {
      const param = s.filters[key] || '';
      const echo = str(echoed[key]);
      if (param) out.push({ key, value: param, origin: 'param' });
      if (echo && echo !== param && (hasTypedFilter(s.q, key) || !param)) {
        out.push({ key, value: echo, origin: 'query' });
      }
    });
    return out;
  }

  // Where the search goes once filter f is removed (the first page: the result set changes).
  function withoutFilter(s, f) {
    const next = withSearch(s, { offset: 0 });
    if (f.origin === 'param') delete next.filters[f.key];
    else next.q = removeTypedFilter(s.q, f.key);
    return next;
  }

  // Where the search goes with filter key set to value. A filter typed in q wins over a parameter on the
  // server, so a typed one is rewritten in place rather than shadowed by a parameter nobody would see.
  function withFilter(s, key, value) {
    if (!hasTypedFilter(s.q, key)) {
      return withSearch(s, { offset: 0, filters: Object.assign({}, s.filters, { [key]: value }) });
    }
    const token = key + ':' + (/[\s"]/.test(value) ? '"' + value.replace(/"/g, '') + '"' : value);
    let done = false;
    const q = s.q.replace(typedFilterRe(key), (m, pre) => {
      if (done) return pre;
      done = true;
      return pre + token;
    });
    const next = withSearch(s, { offset: 0, q: q.replace(/\s+/g, ' ').trim() });
    delete next.filters[key];
    return next;
  }

  function goSearch(s) {
    go(s.q ? searchHash(s) : '#/');
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
    $('search-layout').classList.toggle('stale', s === 'loading');
  }

  function showView(name) {
    state.view = name;
    document.body.dataset.view = name;
    $('search-view').hidden = name === 'doc';
    $('doc-view').hidden = name !== 'doc';
    $('home').hidden = name !== 'home';
    $('search-layout').hidden = name !== 'search';
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
    b.dataset.kind = k;
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
    clearResults();
    delete $('results').dataset.q;
    delete $('results').dataset.hash;
    showError($('error'), '');
    document.title = 'Baton ' + t('brand');
    setState('idle');
  }

  // ---- search --------------------------------------------------------------------------------------

  async function runSearch(s) {
    const my = ++state.seq;
    const hash = searchHash(s);
    const pageChanged = !state.search || searchHash(state.search.s) !== hash;
    showView('search');
    state.doc = null;
    state.lastSearchHash = hash;
    state.lastSearchQ = s.q;
    $('q').value = s.q;
    showError($('error'), '');
    document.title = s.q + ' · Baton';
    setState('loading');

    const p = new URLSearchParams();
    p.set('q', s.q);
    FILTER_KEYS.forEach((k) => {
      if (s.filters[k]) p.set(k, s.filters[k]);
    });
    p.set('sort', s.sort);
    p.set('limit', String(LIMIT));
    p.set('offset', String(s.offset));
    let data;
    try {
      data = await api('/api/search?' + p.toString());
    } catch (e) {
      if (my !== state.seq) return;
      state.search = null;
      clearResults();
      // The chips stay, so a filter the server refused can be taken off again.
      renderChips(s, null);
      renderSort(s);
      $('results').dataset.q = s.q;
      $('results').dataset.hash = searchHash(s);
      showError($('error'), e.message);
      setState('error');
      return;
    }
    if (my !== state.seq) return;
    const keep = state.search && !pageChanged ? state.search.expanded : new Set();
    state.search = { s, data, expanded: keep };
    renderSearch();
    if (pageChanged) window.scrollTo(0, 0);
    setState('done');
  }

  function clearResults() {
    $('results').textContent = '';
    $('empty-slot').textContent = '';
    $('total').textContent = '';
    $('pager').hidden = true;
    $('pages').textContent = '';
    $('chips').textContent = '';
    $('chips').hidden = true;
    $('suggestion').hidden = true;
    $('suggestion-link').textContent = '';
    $('sort').hidden = true;
    $('facet-list').textContent = '';
    $('search-layout').classList.add('no-facets');
    state.selected = -1;
  }

  function renderSearch() {
    const { s, data } = state.search;
    const hits = Array.isArray(data.hits) ? data.hits : [];
    const total = Math.max(0, Number(data.total) || 0);
    const query = data.query && typeof data.query === 'object' ? data.query : {};
    clearResults();
    const results = $('results');
    results.dataset.q = s.q;
    results.dataset.hash = searchHash(s); // which search is on screen (the browser test waits on it)

    const filters = activeFilters(s, query);
    renderFacets(data.facets, s, filters);
    renderChips(s, query);
    renderSort(s);
    renderSuggestion(s, data.suggestion);

    if (hits.length === 0) {
      $('empty-slot').appendChild(renderEmpty(s, total, filters.length > 0));
      renderPager(s, total);
      return;
    }
    $('total').textContent = t('total')(fmtCount(total), fmtMs(data.took_ms));
    results.start = s.offset + 1;
    // Highlighting in the document view wants the words, not the filter syntax.
    const words = str(query.text).trim() || s.q;
    const searchId = logId(data.search_id);
    hits.forEach((h, i) => results.appendChild(renderHit(h, i, words, searchId)));
    renderPager(s, total);
  }

  // The search log's id as digits ('' when the search was not logged). The server keeps it within 2^53.
  function logId(v) {
    if (typeof v === 'string') return /^[1-9]\d*$/.test(v) ? v : '';
    return Number.isSafeInteger(v) && v > 0 ? String(v) : '';
  }

  function renderSort(s) {
    const box = $('sort');
    box.hidden = false;
    box.querySelectorAll('button[data-sort]').forEach((b) => {
      b.setAttribute('aria-pressed', b.dataset.sort === s.sort ? 'true' : 'false');
    });
  }

  function setSort(sort) {
    if (!state.search && parseHash().name !== 'search') return;
    const s = state.search ? state.search.s : parseHash().s;
    if (s.sort === sort) return;
    go(searchHash(withSearch(s, { sort, offset: 0 })));
  }

  function renderSuggestion(s, suggestion) {
    const text = str(suggestion).trim();
    if (!text || text === s.q) return;
    const a = $('suggestion-link');
    a.textContent = text;
    a.href = searchHash(withSearch(s, { q: text, offset: 0 }));
    $('suggestion').hidden = false;
  }

  function renderChips(s, query) {
    const list = $('chips');
    list.textContent = '';
    const filters = activeFilters(s, query);
    list.hidden = filters.length === 0;
    filters.forEach((f) => {
      const li = el('li', 'chip chip-' + f.origin);
      li.dataset.key = f.key;
      li.dataset.value = f.value;
      li.dataset.origin = f.origin;
      const name = t('facetNames')[f.key] || f.key;
      li.appendChild(el('span', 'chip-key', name));
      li.appendChild(el('span', 'chip-value', valueLabel(f.key, f.value)));
      if (f.origin === 'query') li.title = t('typedFilter');
      const x = el('button', 'chip-remove', '×');
      x.type = 'button';
      x.setAttribute('aria-label', t('removeFilter')(name, valueLabel(f.key, f.value)));
      x.title = t('removeFilter')(name, valueLabel(f.key, f.value));
      x.addEventListener('click', () => goSearch(withoutFilter(s, f)));
      li.appendChild(x);
      list.appendChild(li);
    });
    if (filters.length >= 2) {
      const li = el('li', 'chip-clear');
      const b = el('button', 'link-button', t('clearFilters'));
      b.type = 'button';
      b.addEventListener('click', () => {
        let next = withSearch(s, { offset: 0, filters: {} });
        filters.filter((f) => f.origin === 'query').forEach((f) => (next = withoutFilter(next, f)));
        goSearch(next);
      });
      li.appendChild(b);
      list.appendChild(li);
    }
  }

  function renderFacets(facets, s, filters) {
    const box = $('facet-list');
    box.textContent = '';
    let shown = 0;
    if (facets && typeof facets === 'object') {
      FACET_KEYS.forEach((key) => {
        const values = Array.isArray(facets[key]) ? facets[key].filter((v) => v && str(v.value)) : [];
        if (!values.length) return;
        box.appendChild(renderFacet(key, values, s, filters));
        shown++;
      });
    }
    $('search-layout').classList.toggle('no-facets', shown === 0);
    const n = filters.length;
    $('facets-summary').textContent = n ? t('filtersActive')(fmtCount(n)) : t('filters');
  }

  function renderFacet(key, values, s, filters) {
    const group = el('section', 'facet');
    group.dataset.facet = key;
    const id = 'facet-' + key;
    const title = el('h2', 'facet-title', t('facetNames')[key]);
    title.id = id + '-title';
    group.appendChild(title);
    const ul = el('ul', 'facet-values');
    ul.setAttribute('aria-labelledby', title.id);
    const open = state.facetOpen.has(key);
    values.forEach((v, i) => {
      const value = str(v.value);
      const active = filters.find((f) => f.key === key && f.value === value);
      const li = el('li');
      if (!open && i >= FACET_SHOWN && !active) li.hidden = true;
      const a = el('a', 'facet-value' + (active ? ' active' : ''));
      a.dataset.value = value;
      // Clicking an active value takes the filter off again; any other value replaces the facet's filter.
      a.href = searchHash(active ? withoutFilter(s, active) : withFilter(s, key, value));
      if (active) a.setAttribute('aria-current', 'true');
      a.appendChild(el('span', 'facet-label', valueLabel(key, value)));
      a.appendChild(el('span', 'facet-count', fmtCount(v.count)));
      li.appendChild(a);
      ul.appendChild(li);
    });
    group.appendChild(ul);
    if (values.length > FACET_SHOWN) {
      const b = el('button', 'facet-more link-button', open ? t('facetLess') : t('facetMore')(fmtCount(values.length - FACET_SHOWN)));
      b.type = 'button';
      b.setAttribute('aria-expanded', open ? 'true' : 'false');
      b.addEventListener('click', () => {
        if (state.facetOpen.has(key)) state.facetOpen.delete(key);
        else state.facetOpen.add(key);
        const again = renderFacet(key, values, s, filters);
        group.replaceWith(again);
        const nb = again.querySelector('.facet-more');
        if (nb) nb.focus();
      });
      group.appendChild(b);
    }
    return group;
  }

  function renderHit(h, i, words, searchId) {
    const li = el('li', 'hit');
    li.dataset.index = String(i);
    const hitId = str(h.id) || str(h.doc);
    li.dataset.hit = hitId;
    if (h.doc) li.dataset.doc = str(h.doc);

    const head = el('div', 'hit-head');
    head.appendChild(badge(h.kind));
    const title = str(h.title) || str(h.path) || t('untitled');
    const a = el('a', 'hit-title', title);
    a.href = docHash(hitId, words, searchId);
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

    const more = Array.isArray(h.more) ? h.more.filter((m) => m && str(m.id)) : [];
    const moreCount = Math.max(more.length, Number(h.more_count) || 0);
    if (moreCount > 0) li.appendChild(renderMore(hitId, more, moreCount, words, searchId));

    // A click anywhere on the card opens it, unless the user is selecting text to copy.
    li.addEventListener('click', (ev) => {
      if (ev.target.closest('a, button, .more')) return;
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed) return;
      location.hash = a.getAttribute('href');
    });
    return li;
  }

  // The document's other matching sections, folded under its best one.
  function renderMore(hitId, more, moreCount, words, searchId) {
    const wrap = el('div', 'more');
    const open = state.search.expanded.has(hitId);
    const listId = 'more-' + state.seq + '-' + hitId.replace(/[^A-Za-z0-9_-]/g, '_');
    const toggle = el('button', 'more-toggle');
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    toggle.setAttribute('aria-controls', listId);
    toggle.appendChild(el('span', 'more-arrow'));
    toggle.appendChild(el('span', 'more-label', t('moreMatches')(fmtCount(moreCount))));
    wrap.appendChild(toggle);

    const ul = el('ul', 'more-list');
    ul.id = listId;
    ul.hidden = !open;
    more.forEach((m) => {
      const li = el('li', 'more-item');
      const a = el('a', 'more-link', str(m.section) || t('untitled'));
      a.href = docHash(str(m.id), words, searchId);
      li.appendChild(a);
      if (m.snippet) {
        const s = el('div', 'snippet more-snippet');
        s.innerHTML = str(m.snippet); // escaped by the server, <mark> only
        li.appendChild(s);
      }
      ul.appendChild(li);
    });
    if (moreCount > more.length) {
      const li = el('li', 'more-rest');
      const a = el('a', '', t('moreRest')(fmtCount(moreCount - more.length)));
      a.href = docHash(hitId, words, searchId);
      li.appendChild(a);
      ul.appendChild(li);
    }
    wrap.appendChild(ul);
    toggle.addEventListener('click', () => setExpanded(wrap, hitId, ul.hidden));
    return wrap;
  }

  function setExpanded(wrap, hitId, open) {
    const ul = wrap.querySelector('.more-list');
    const toggle = wrap.querySelector('.more-toggle');
    if (!ul || !toggle) return;
    ul.hidden = !open;
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (state.search) {
      if (open) state.search.expanded.add(hitId);
      else state.search.expanded.delete(hitId);
    }
  }

  function renderEmpty(s, total, filtered) {
    const box = el('div', 'empty');
    box.id = 'empty';
    box.setAttribute('role', 'status');
    if (s.offset > 0 && total > 0) {
      box.appendChild(el('p', 'empty-title', t('emptyPage')));
      const a = el('a', '', t('firstPage'));
      a.href = searchHash(withSearch(s, { offset: 0 }));
      box.appendChild(a);
      return box;
    }
    box.appendChild(el('p', 'empty-title', t('emptyTitle')(s.q)));
    box.appendChild(el('p', 'empty-try', t('emptyTry')));
    const ul = el('ul', 'empty-hints');
    if (filtered) ul.appendChild(el('li', '', t('emptyFiltered')));
    t('emptyHints').forEach((x) => ul.appendChild(el('li', '', x)));
    box.appendChild(ul);
    return box;
  }

  // 1 … 4 5 [6] 7 8 … 20: the first, the last and two either side of the current page.
  function pageList(page, pages) {
    const out = [];
    for (let p = 1; p <= pages; p++) {
      if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
      else if (out[out.length - 1] !== 0) out.push(0);
    }
    return out;
  }

  function renderPager(s, total) {
    const pages = Math.max(1, Math.ceil(total / LIMIT));
    const page = Math.floor(s.offset / LIMIT) + 1;
    const show = total > LIMIT || s.offset > 0;
    $('pager').hidden = !show;
    $('prev').disabled = s.offset <= 0;
    $('next').disabled = s.offset + LIMIT >= total;
    $('page').textContent = t('page')(fmtCount(page), fmtCount(pages));
    const box = $('pages');
    box.textContent = '';
    if (!show) return;
    pageList(page, pages).forEach((p) => {
      if (p === 0) {
        box.appendChild(el('span', 'page-gap', '…'));
      } else if (p === page) {
        const cur = el('span', 'page-link current', fmtCount(p));
        cur.setAttribute('aria-current', 'page');
        cur.setAttribute('aria-label', t('pageN')(fmtCount(p)));
        box.appendChild(cur);
      } else {
        const a = el('a', 'page-link', fmtCount(p));
        a.href = searchHash(withSearch(s, { offset: (p - 1) * LIMIT }));
        a.dataset.page = String(p);
        a.setAttribute('aria-label', t('pageN')(fmtCount(p)));
        box.appendChild(a);
      }
    });
  }

  function pageBy(delta) {
    if (!state.search) return;
    const s = state.search.s;
    const next = Math.max(0, s.offset + delta * LIMIT);
    if (next !== s.offset) go(searchHash(withSearch(s, { offset: next })));
  }

  function hitNodes() {
    return Array.prototype.slice.call($('results').querySelectorAll('.hit'));
  }

  // Selects hit i; moves the focus to its title unless the focus is already inside that hit.
  function select(i, keepFocus) {
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
      if (link && !keepFocus) link.focus({ preventScroll: true });
      node.scrollIntoView({ block: 'nearest' });
    }
  }

  // ---- document ------------------------------------------------------------------------------------

  async function openDoc(id, q, searchId) {
    const my = ++state.seq;
    showView('doc');
    state.selected = -1;
    const back = $('back');
    const backHash = state.lastSearchHash || (q ? searchHash({ q, filters: {}, sort: 'relevance', offset: 0 }) : '#/');
    back.href = backHash;
    back.querySelector('[data-i18n]').dataset.i18n = backHash === '#/' ? 'backHome' : 'back';
    back.querySelector('[data-i18n]').textContent = t(backHash === '#/' ? 'backHome' : 'back');
    // q here is only the words to highlight; the box keeps the whole query the results came from.
    if (state.lastSearchHash) $('q').value = state.lastSearchQ;
    else if (q) $('q').value = q;
    showError($('doc-error'), '');
    const slot = $('doc-slot');
    slot.textContent = '';
    slot.appendChild(el('p', 'opening', t('opening')));
    setState('loading');

    let url = '/api/docs/' + encodeURIComponent(id);
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (searchId) p.set('search', searchId);
    if (p.toString()) url += '?' + p.toString();
    // The open is logged once: a reload, a shared link or back/forward to this page must not log it again.
    if (searchId) history.replaceState(history.state, '', docHash(id, q));
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
    document.querySelectorAll('[data-i18n-label]').forEach((n) => {
      n.setAttribute('aria-label', t(n.dataset.i18nLabel));
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
    // → and ← unfold and fold the selected result's other matches.
    if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && !typing && state.selected >= 0) {
      const hit = hits[state.selected];
      const wrap = hit.querySelector('.more');
      if (!wrap || !state.search) return;
      e.preventDefault();
      setExpanded(wrap, hit.dataset.hit || '', e.key === 'ArrowRight');
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

  // Facets sit beside the results on a wide screen and fold away above them on a narrow one.
  function fitFacets() {
    $('facets-box').open = !NARROW.matches;
  }

  function start() {
    applyLang(readLang());
    fitFacets();
    if (NARROW.addEventListener) NARROW.addEventListener('change', fitFacets);
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const q = $('q').value.trim();
      // A new query keeps the clicked filters and the sort order; it starts on the first page.
      const cur = parseHash();
      const s = cur.name === 'search' ? cur.s : { filters: {}, sort: 'relevance' };
      go(q ? searchHash({ q, filters: s.filters, sort: s.sort, offset: 0 }) : '#/');
    });
    $('lang').addEventListener('click', toggleLang);
    $('prev').addEventListener('click', () => pageBy(-1));
    $('next').addEventListener('click', () => pageBy(1));
    $('sort').querySelectorAll('button[data-sort]').forEach((b) => {
      b.addEventListener('click', () => setSort(b.dataset.sort));
    });
    $('results').addEventListener('focusin', (e) => {
      const hit = e.target.closest('.hit');
      if (hit) {
        const i = hitNodes().indexOf(hit);
        if (i !== state.selected) select(i, true);
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
