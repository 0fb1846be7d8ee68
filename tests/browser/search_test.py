#!/usr/bin/env python3
"""Headless-Chromium test of Baton's search UI, end to end against a live server.

    python3 tests/browser/search_test.py --baton build/baton --root data/demo
    python3 tests/browser/search_test.py --url http://127.0.0.1:8080      # a server already running

With --baton/--root it indexes ROOT into a fresh data dir, serves it on a free loopback port and stops it again;
it also indexes a small fixture folder of its own (a title holding HTML). Checks that need that fixture are skipped
with --url.
Needs Debian's python3-selenium and chromium-driver; nothing is downloaded. The last line is `N passed, N failed`.
"""

import argparse
import os
import sys

import harness  # first: it makes Selenium importable (or re-runs this under the system Python)
from harness import BasePage, Server, Skip  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

# A word no demo document contains, and a title that is HTML if anyone inserts it as HTML.
PROBE_WORD = 'xsstitleprobe'
PROBE_TITLE = 'Probe <img src=x id=baton-xss> <b>bold</b> ' + PROBE_WORD


def write_fixture(tmp):
    """A folder with one Markdown file whose title is HTML-looking text (a code span keeps it text)."""
    root = os.path.join(tmp, 'fixture')
    os.makedirs(os.path.join(root, '操作手册'))
    with open(os.path.join(root, '操作手册', 'probe.md'), 'w', encoding='utf-8') as f:
        f.write('# Probe `<img src=x id=baton-xss> <b>bold</b>` ' + PROBE_WORD + '\n\n'
                'This page only exists for the browser test: ' + PROBE_WORD + '.\n')
    return root


class Page(BasePage):
    """Small helpers over the driver that know the UI's ids and its data-state protocol."""

    def __init__(self, driver, base, has_fixture=False):
        super().__init__(driver, base)
        self.has_fixture = has_fixture  # the server also indexed write_fixture()'s folder

    def open(self, path='/'):
        self.d.get(self.base + path)
        self.wait(lambda d: d.execute_script('return document.readyState') == 'complete', 'page load')
        self.wait(lambda d: d.find_elements(By.ID, 'q'), '#q on the page')

    def search(self, q):
        box = self.d.find_element(By.ID, 'q')
        box.clear()
        box.send_keys(q)
        box.send_keys(Keys.ENTER)
        return self.wait_results(q)

    def wait_results(self, q):
        """Waits until #results shows the finished answer for q; returns the hit elements."""
        js = ("const r = document.getElementById('results'); const s = document.body.dataset.state;"
              "return r && r.dataset.q === arguments[0] && s !== 'loading' && document.body.dataset.view === 'search'"
              " ? s : null;")
        state = self.wait(lambda d: d.execute_script(js, q), f'results for {q!r}')
        if state == 'error':
            raise AssertionError(f'search {q!r} showed an error: {self.d.find_element(By.ID, "error").text!r}')
        return self.d.find_elements(By.CSS_SELECTOR, '#results .hit')

    def wait_rendered(self, what='the search in the URL'):
        """Waits until the page shows the finished answer for the search in its URL (after a click that changed
        the hash); returns the hit elements."""
        js = ("const r = document.getElementById('results'); const s = document.body.dataset.state;"
              "return r && r.dataset.hash === location.hash && s !== 'loading'"
              " && document.body.dataset.view === 'search' ? s : null;")
        state = self.wait(lambda d: d.execute_script(js), what)
        if state == 'error':
            raise AssertionError(f'{what} showed an error: {self.d.find_element(By.ID, "error").text!r}')
        return self.d.find_elements(By.CSS_SELECTOR, '#results .hit')

    def click_and_wait(self, element, what):
        before = self.d.current_url
        element.click()
        self.wait(lambda d: d.current_url != before, f'the URL to change for {what}')
        return self.wait_rendered(what)

    def hash_params(self):
        """The query parameters of the current #/search?… hash, as a dict of lists."""
        from urllib.parse import parse_qs, urlsplit
        frag = urlsplit(self.d.current_url).fragment
        return parse_qs(frag.split('?', 1)[1]) if '?' in frag else {}

    def badge_kinds(self):
        return self.d.execute_script("return [...document.querySelectorAll('#results .hit > .hit-head .badge')]"
                                     ".map(b => b.dataset.kind);")

    def chips(self):
        return self.d.execute_script(
            "return [...document.querySelectorAll('#chips .chip')].map(c => ({key: c.dataset.key,"
            " value: c.dataset.value, origin: c.dataset.origin, text: c.textContent}));")

    def record_fetches(self):
        """From now on window.__batonFetches lists every URL the page fetches (the page is one document)."""
        self.d.execute_script(
            "if (!window.__batonFetches) { window.__batonFetches = []; const f = window.fetch;"
            " window.fetch = function (u, o) { window.__batonFetches.push(String(u)); return f.call(this, u, o); }; }")

    def wait_doc(self):
        js = "return document.body.dataset.view === 'doc' && document.body.dataset.state !== 'loading'" \
             " ? document.body.dataset.state : null;"
        state = self.wait(lambda d: d.execute_script(js), 'the document view')
        if state == 'error':
            raise AssertionError(f'document view showed an error: {self.d.find_element(By.ID, "doc-error").text!r}')
        return self.wait(lambda d: d.find_element(By.ID, 'doc'), '#doc')



def mark_texts(root, selector):
    return [m.get_attribute('textContent') for m in root.find_elements(By.CSS_SELECTOR, selector)]


def assert_untrusted_text_stays_text(page):
    # Only the snippet is HTML, and only <mark> may appear in it; titles, paths and headings are text.
    bad = page.d.execute_script(
        "const r = document.getElementById('results');"
        "const odd = [...r.querySelectorAll('.snippet *')].filter(e => e.tagName !== 'MARK').map(e => e.tagName);"
        "const injected = [...r.querySelectorAll('img, script, iframe, object, embed, svg')].map(e => e.tagName);"
        "return odd.concat(injected);")
    assert not bad, f'unexpected elements inside #results: {bad}'


# ---- checks: each takes the Page and raises AssertionError ----------------------------------------------

def check_home(page):
    page.open('/')
    assert 'Baton' in page.d.title, f'title is {page.d.title!r}'
    brand = page.d.find_element(By.ID, 'brand').text
    assert '交接知识库' in brand, f'brand reads {brand!r}'
    ActionChains(page.d).send_keys('/').perform()
    active = page.d.execute_script('return document.activeElement && document.activeElement.id')
    assert active == 'q', f'"/" should focus #q, focus is on {active!r}'


def check_search_chinese(page):
    page.open('/')
    hits = page.search('退款')
    assert hits, f'no .hit for 退款; page says {page.text()[:300]!r}'
    marks = mark_texts(page.d, '#results .snippet mark')
    assert any('退款' in m for m in marks), f'no .snippet mark containing 退款; marks: {marks[:10]}'
    first_path = hits[0].find_element(By.CSS_SELECTOR, '.hit-path').get_attribute('textContent').strip()
    assert first_path.endswith('退款处理流程.md'), f'first hit path is {first_path!r}'
    total = page.d.find_element(By.ID, 'total').text
    assert total.strip(), '#total is empty'
    assert '#/search?' in page.d.current_url and 'q=' in page.d.current_url, f'URL is {page.d.current_url}'
    assert_untrusted_text_stays_text(page)


def check_open_document(page):
    page.open('/')
    hits = page.search('退款')
    assert hits, 'no hits for 退款'
    hits[0].find_element(By.CSS_SELECTOR, '.hit-title').click()
    doc = page.wait_doc()
    marks = mark_texts(doc, 'mark')
    assert any('退款' in m for m in marks), f'no mark containing 退款 in #doc; marks: {marks[:10]}'
    assert '#/doc/' in page.d.current_url, f'URL is {page.d.current_url}'
    current = doc.find_elements(By.CSS_SELECTOR, '.doc-section.current')
    assert current, 'the requested section is not marked (.doc-section.current)'
    page.wait(lambda d: d.execute_script(
        'const r = arguments[0].getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0;',
        current[0]), 'the requested section to be scrolled into view', timeout=5)


def check_back_and_keyboard(page):
    page.open('/')
    page.search('退款')
    page.d.find_elements(By.CSS_SELECTOR, '#results .hit-title')[0].click()
    page.wait_doc()
    page.d.back()
    hits = page.wait_results('退款')
    assert hits, 'going back did not restore the results'
    value = page.d.find_element(By.ID, 'q').get_attribute('value')
    assert value == '退款', f'#q holds {value!r} after going back'

    ActionChains(page.d).send_keys('/').perform()
    ActionChains(page.d).send_keys(Keys.ARROW_DOWN).perform()
    selected = page.d.execute_script("return [...document.querySelectorAll('#results .hit')]"
                                     ".findIndex(h => h.classList.contains('selected'));")
    assert selected == 0, f'ArrowDown from the box should select the first hit, selected={selected}'
    if len(hits) > 1:
        ActionChains(page.d).send_keys(Keys.ARROW_DOWN).perform()
        selected = page.d.execute_script("return [...document.querySelectorAll('#results .hit')]"
                                         ".findIndex(h => h.classList.contains('selected'));")
        assert selected == 1, f'second ArrowDown should select the second hit, selected={selected}'
    href = page.d.execute_script("return document.querySelector('#results .hit.selected .hit-title')"
                                 ".getAttribute('href');")
    ActionChains(page.d).send_keys(Keys.ENTER).perform()
    page.wait_doc()
    # The search id is dropped from the URL once the open is logged, so compare the document part.
    doc_part = href.split('?')[0]
    assert doc_part in page.d.current_url, f'Enter opened {page.d.current_url}, expected {href}'


def check_search_english(page):
    page.open('/')
    hits = page.search('invoice reconciliation')
    assert hits, f'no hits for invoice reconciliation; page says {page.text()[:300]!r}'
    found = [h.find_element(By.CSS_SELECTOR, '.hit-title').get_attribute('textContent') + ' | ' +
             ' '.join(e.get_attribute('textContent') for e in h.find_elements(By.CSS_SELECTOR, '.hit-path'))
             for h in hits]
    assert any('invoice' in f.lower() for f in found), f'no hit mentions invoice: {found}'
    marks = mark_texts(page.d, '#results .snippet mark')
    assert marks, 'no .snippet mark for invoice reconciliation'
    assert_untrusted_text_stays_text(page)


def check_nothing_found(page):
    page.open('/')
    q = 'zzqqxxnotthere'
    hits = page.search(q)
    assert not hits, f'{len(hits)} hits for {q}'
    empty = page.wait(lambda d: d.find_element(By.ID, 'empty'), '#empty')
    assert empty.is_displayed(), '#empty is not visible'
    assert q in empty.text, f'#empty does not repeat the query: {empty.text!r}'


def check_language_switch(page):
    page.open('/')
    go = page.d.find_element(By.ID, 'go')
    assert go.text == '搜索', f'default search button reads {go.text!r}'
    page.d.find_element(By.ID, 'lang').click()
    page.wait(lambda d: d.find_element(By.ID, 'go').text == 'Search', 'English labels')
    page.open('/')  # the choice survives a reload
    try:
        lang = page.d.execute_script('return document.documentElement.lang')
        assert lang == 'en', f'after reload <html lang> is {lang!r}'
        assert page.d.find_element(By.ID, 'go').text == 'Search', 'English not kept after reload'
    finally:
        page.d.execute_script("localStorage.removeItem('baton.lang');")
    page.open('/')
    assert page.d.find_element(By.ID, 'go').text == '搜索', 'not back to Chinese'


KIND_ZH = {'handover': '交接文档', 'manual': '操作手册', 'communication': '沟通记录', 'record': '记录/表格', 'answer': '问答'}


def facet_values(page, facet):
    return page.d.execute_script(
        "return [...document.querySelectorAll('#facets .facet[data-facet=\"' + arguments[0] + '\"] .facet-value')]"
        ".map(a => ({value: a.dataset.value, label: a.querySelector('.facet-label').textContent,"
        " count: a.querySelector('.facet-count').textContent, active: a.classList.contains('active')}));", facet)


def check_facet_click(page):
    page.open('/')
    hits = page.search('退款')
    assert hits, 'no hits for 退款'
    kinds = page.wait(lambda d: facet_values(page, 'kind'), 'the kind facet in #facets')
    for v in kinds:
        if v['value'] in KIND_ZH:
            assert v['label'] == KIND_ZH[v['value']], f'kind {v["value"]} is labelled {v["label"]!r}'
        assert v['count'].strip().isdigit(), f'facet count reads {v["count"]!r}'
    # The smallest kind narrows the most; click it.
    pick = min(kinds, key=lambda v: int(v['count']))
    before = len(hits)
    link = page.d.find_element(By.CSS_SELECTOR, f'#facets .facet[data-facet="kind"] .facet-value[data-value="{pick["value"]}"]')
    hits = page.click_and_wait(link, f'the kind facet {pick["value"]}')
    assert page.hash_params().get('kind') == [pick['value']], f'URL after the facet click: {page.d.current_url}'
    assert hits, f'no hits after clicking kind={pick["value"]}'
    assert len(hits) <= before, f'{len(hits)} hits after the filter, {before} before'
    bad = [k for k in page.badge_kinds() if k != pick['value']]
    assert not bad, f'kind={pick["value"]} still shows hits of kind {bad}'
    chips = page.chips()
    assert any(c['key'] == 'kind' and c['value'] == pick['value'] and c['origin'] == 'param' for c in chips), \
        f'no kind chip for the clicked facet; chips: {chips}'
    active = [v for v in facet_values(page, 'kind') if v['active']]
    assert [v['value'] for v in active] == [pick['value']], f'active kind facet values: {active}'
    # Reload keeps the filter (it is in the URL).
    page.d.refresh()
    page.wait_rendered('the filtered search after a reload')
    assert any(c['key'] == 'kind' for c in page.chips()), 'the kind chip is gone after a reload'
    # The chip's × takes the filter off again.
    x = page.d.find_element(By.CSS_SELECTOR, '#chips .chip[data-key="kind"] .chip-remove')
    hits = page.click_and_wait(x, 'removing the kind chip')
    assert 'kind' not in page.hash_params(), f'URL still filters after removing the chip: {page.d.current_url}'
    assert not page.chips(), f'chips left after removing the only one: {page.chips()}'
    assert len(hits) == before, f'{len(hits)} hits after removing the filter, {before} before it'


def check_typed_filter_chip(page):
    page.open('/')
    hits = page.search('kind:manual 退款')
    assert hits, f'no hits for kind:manual 退款; page says {page.text()[:300]!r}'
    chips = page.wait(lambda d: page.chips(), 'a chip for the typed kind:manual')
    chip = [c for c in chips if c['key'] == 'kind']
    assert chip and chip[0]['value'] == 'manual' and chip[0]['origin'] == 'query', f'chips: {chips}'
    assert '操作手册' in chip[0]['text'], f'the kind chip reads {chip[0]["text"]!r}'
    bad = [k for k in page.badge_kinds() if k != 'manual']
    assert not bad, f'kind:manual shows hits of kind {bad}'
    x = page.d.find_element(By.CSS_SELECTOR, '#chips .chip[data-key="kind"] .chip-remove')
    page.click_and_wait(x, 'removing the typed kind chip')
    value = page.d.find_element(By.ID, 'q').get_attribute('value')
    assert value == '退款', f'#q holds {value!r} after removing the kind chip'
    assert page.hash_params().get('q') == ['退款'], f'URL after removing the chip: {page.d.current_url}'
    assert not page.chips(), f'chips left: {page.chips()}'


def hit_dates(page):
    return page.d.execute_script("return [...document.querySelectorAll('#results .hit > .hit-head')]"
                                 ".map(h => { const t = h.querySelector('time'); return t ? t.dateTime : ''; });")


def hit_docs(hits):
    """What each hit opens, without the per-search id (it differs on every search)."""
    return [h.find_element(By.CSS_SELECTOR, '.hit-title').get_attribute('href').split('?')[0] for h in hits]


def check_sort_toggle(page):
    page.open('/')
    page.search('订单')
    rel = page.d.find_element(By.CSS_SELECTOR, '#sort button[data-sort="relevance"]')
    assert rel.get_attribute('aria-pressed') == 'true', 'relevance is not the default sort'
    assert '相关度' in rel.text, f'relevance button reads {rel.text!r}'
    relevance_order = hit_docs(page.d.find_elements(By.CSS_SELECTOR, '#results .hit'))
    by_date = page.d.find_element(By.CSS_SELECTOR, '#sort button[data-sort="date"]')
    assert '日期' in by_date.text, f'date button reads {by_date.text!r}'
    hits = page.click_and_wait(by_date, 'sorting by date')
    assert hits, 'no hits sorted by date'
    assert page.hash_params().get('sort') == ['date'], f'URL after sorting by date: {page.d.current_url}'
    assert page.d.find_element(By.CSS_SELECTOR, '#sort button[data-sort="date"]').get_attribute('aria-pressed') == 'true'
    dates = [x for x in hit_dates(page) if x]
    assert dates == sorted(dates, reverse=True), f'hits sorted by date are not newest first: {dates}'
    date_order = hit_docs(hits)
    if len(set(dates)) > 1:
        assert date_order != relevance_order, 'sorting by date did not change the order'
    page.d.back()
    page.wait_rendered('going back to the relevance order')
    assert 'sort' not in page.hash_params(), f'URL after back: {page.d.current_url}'
    assert page.d.find_element(By.CSS_SELECTOR, '#sort button[data-sort="relevance"]').get_attribute(
        'aria-pressed') == 'true', 'back did not restore the relevance sort'


def check_more_matches(page):
    page.open('/')
    page.search('退款')
    toggles = page.d.find_elements(By.CSS_SELECTOR, '#results .hit .more-toggle')
    assert toggles, 'no hit folds other matching sections (.more-toggle) for 退款'
    hit = toggles[0].find_element(By.XPATH, './ancestor::li[contains(@class, "hit")]')
    label = toggles[0].text
    assert '另有' in label and '处匹配' in label, f'the fold reads {label!r}'
    lst = hit.find_element(By.CSS_SELECTOR, '.more-list')
    assert not lst.is_displayed(), 'the other matches are shown before the fold is opened'
    # Keyboard: select that hit with the arrows, → unfolds, ← folds.
    index = int(hit.get_attribute('data-index'))
    ActionChains(page.d).send_keys('/').perform()
    for _ in range(index + 1):
        ActionChains(page.d).send_keys(Keys.ARROW_DOWN).perform()
    ActionChains(page.d).send_keys(Keys.ARROW_RIGHT).perform()
    page.wait(lambda d: lst.is_displayed(), '→ to unfold the selected hit\'s other matches', timeout=5)
    ActionChains(page.d).send_keys(Keys.ARROW_LEFT).perform()
    page.wait(lambda d: not lst.is_displayed(), '← to fold them again', timeout=5)
    toggles[0].click()
    page.wait(lambda d: lst.is_displayed(), 'the other matches to unfold', timeout=5)
    assert toggles[0].get_attribute('aria-expanded') == 'true'
    links = lst.find_elements(By.CSS_SELECTOR, '.more-link')
    assert links, 'the unfolded list has no links'
    main_href = hit.find_element(By.CSS_SELECTOR, '.hit-title').get_attribute('href').split('?')[0]
    hrefs = [a.get_attribute('href').split('?')[0] for a in links]
    assert all('#/doc/' in h for h in hrefs), f'more links: {hrefs}'
    assert main_href not in hrefs, 'a folded match links to the best section again'
    # The label counts them: "另有 N 处匹配" with N >= the links shown.
    n = int(''.join(ch for ch in label if ch.isdigit()) or '0')
    assert n >= len(links), f'the fold says {n} but lists {len(links)}'
    # English says it too.
    page.d.find_element(By.ID, 'lang').click()
    try:
        page.wait(lambda d: 'more match' in d.find_element(By.CSS_SELECTOR, '#results .more-toggle').text,
                  'the English fold label', timeout=5)
        assert page.d.find_elements(By.CSS_SELECTOR, '#results .more-toggle[aria-expanded="true"]'), \
            'switching the language folded the matches again'
    finally:
        page.d.find_element(By.ID, 'lang').click()
        page.d.execute_script("localStorage.removeItem('baton.lang');")
    link = page.d.find_element(By.CSS_SELECTOR, '#results .hit .more-list .more-link')
    unit = page.d.execute_script(
        "return decodeURIComponent(arguments[0].getAttribute('href').replace(/^#\\/doc\\//, '').split('?')[0]);", link)
    link.click()
    doc = page.wait_doc()
    current = doc.find_elements(By.CSS_SELECTOR, '.doc-section.current')
    assert current, 'the folded match did not open at a section'
    assert current[0].get_attribute('data-unit') == unit, \
        f'opened at section {current[0].get_attribute("data-unit")}, the link was for {unit}'


def check_pagination(page):
    page.open('/')
    hits = page.search('订单')
    pager = page.d.find_element(By.ID, 'pager')
    assert pager.is_displayed(), 'no pager for 订单 (expected more than one page)'
    assert page.d.find_element(By.ID, 'prev').get_attribute('disabled'), 'previous is enabled on page 1'
    current = page.d.find_element(By.CSS_SELECTOR, '#pages .page-link.current').text
    assert current == '1', f'current page reads {current!r}'
    first = hit_docs(hits)
    two = page.d.find_element(By.CSS_SELECTOR, '#pages a.page-link[data-page="2"]')
    hits = page.click_and_wait(two, 'page 2')
    assert page.hash_params().get('offset') == ['10'], f'URL on page 2: {page.d.current_url}'
    assert hits, 'page 2 is empty'
    second = hit_docs(hits)
    assert not set(first) & set(second), f'page 2 repeats page 1: {set(first) & set(second)}'
    assert page.d.find_element(By.CSS_SELECTOR, '#pages .page-link.current').text == '2'
    assert not page.d.find_element(By.ID, 'prev').get_attribute('disabled'), 'previous is disabled on page 2'
    hits = page.click_and_wait(page.d.find_element(By.ID, 'prev'), 'the previous page')
    assert 'offset' not in page.hash_params(), f'URL back on page 1: {page.d.current_url}'
    again = hit_docs(hits)
    assert again == first, 'previous did not bring back page 1'
    page.click_and_wait(page.d.find_element(By.ID, 'next'), 'the next page')
    assert page.hash_params().get('offset') == ['10'], f'URL after next: {page.d.current_url}'


def check_did_you_mean(page):
    page.open('/')
    page.search('invoise reconcilation')
    box = page.wait(lambda d: d.find_element(By.ID, 'suggestion') if d.find_element(By.ID, 'suggestion')
                    .is_displayed() else None, 'a "did you mean" suggestion for invoise reconcilation', timeout=5)
    assert '您是不是要找' in box.text, f'the suggestion reads {box.text!r}'
    link = box.find_element(By.ID, 'suggestion-link')
    suggestion = link.text.strip()
    assert suggestion and suggestion != 'invoise reconcilation', f'suggestion is {suggestion!r}'
    hits = page.click_and_wait(link, 'the suggested search')
    assert page.hash_params().get('q') == [suggestion], f'URL after the suggestion: {page.d.current_url}'
    assert page.d.find_element(By.ID, 'q').get_attribute('value') == suggestion
    assert hits, f'no hits for the suggestion {suggestion!r}'


def check_open_sends_search_id(page):
    page.open('/')
    page.record_fetches()
    page.search('退款')
    searches = [u for u in page.d.execute_script('return window.__batonFetches') if u.startswith('/api/search?')]
    assert searches, 'the search request was not seen'
    page.d.find_elements(By.CSS_SELECTOR, '#results .hit-title')[0].click()
    page.wait_doc()
    docs = [u for u in page.d.execute_script('return window.__batonFetches') if u.startswith('/api/docs/')]
    assert docs, 'no /api/docs request was seen'
    from urllib.parse import parse_qs, urlsplit
    params = parse_qs(urlsplit(docs[-1]).query)
    assert params.get('search', [''])[0].isdigit() and int(params['search'][0]) > 0, \
        f'the document request does not carry the search id (search_id from the response): {docs[-1]}'
    assert 'search=' not in page.d.current_url, f'the search id stays in the URL (a reload would log again): ' \
                                                 f'{page.d.current_url}'


def check_title_html_is_text(page):
    if not page.has_fixture:
        raise Skip('needs the fixture folder, which only a server started by this test indexes')
    page.open('/')
    hits = page.search(PROBE_WORD)
    assert hits, f'no hit for {PROBE_WORD} (the fixture document)'
    title = hits[0].find_element(By.CSS_SELECTOR, '.hit-title').get_attribute('textContent')
    assert '<img src=x id=baton-xss>' in title and '<b>bold</b>' in title, f'the hit title reads {title!r}'
    assert not page.d.find_elements(By.ID, 'baton-xss'), 'the title was inserted as HTML (an <img> appeared)'
    assert_untrusted_text_stays_text(page)
    hits[0].find_element(By.CSS_SELECTOR, '.hit-title').click()
    doc = page.wait_doc()
    text = doc.find_element(By.CSS_SELECTOR, '.doc-title-text').get_attribute('textContent')
    assert '<img src=x id=baton-xss>' in text, f'the document title reads {text!r}'
    assert not page.d.find_elements(By.ID, 'baton-xss'), 'the document view inserted the title as HTML'
    assert not doc.find_elements(By.CSS_SELECTOR, '.doc-head b, .doc-head img'), 'HTML in the document header'


def check_narrow_screen(page):
    page.d.set_window_size(390, 844)
    try:
        page.open('/')
        hits = page.search('退款')
        assert hits, 'no hits on a narrow screen'
        over = page.d.execute_script('return document.documentElement.scrollWidth - window.innerWidth;')
        assert over <= 1, f'the page scrolls sideways by {over}px at 390px wide'
        box = page.d.find_element(By.ID, 'facets-box')
        assert box.get_attribute('open') is None, 'the facets take the screen before the results on a phone'
        top_results = page.d.execute_script("return document.querySelector('#results .hit').getBoundingClientRect().top;")
        assert top_results < 844, f'the first result starts below the fold ({top_results}px)'
        page.d.find_element(By.ID, 'facets-summary').click()
        page.wait(lambda d: d.find_element(By.CSS_SELECTOR, '#facets .facet-value').is_displayed(),
                  'the facets to open on a narrow screen', timeout=5)
        over = page.d.execute_script('return document.documentElement.scrollWidth - window.innerWidth;')
        assert over <= 1, f'open facets make the page scroll sideways by {over}px'
    finally:
        page.d.set_window_size(1280, 900)


def check_console_clean(page):
    page.drain_console()
    severe = [e for e in page.console if e.get('level') == 'SEVERE']
    # A favicon the server does not serve is noise, not a UI fault: report it, do not fail on it.
    icon = [e for e in severe if 'favicon' in str(e.get('message')) and 'Failed to load resource' in str(e.get('message'))]
    if icon:
        print(f'note: the server does not serve the favicon: {icon[0].get("message")}', flush=True)
    severe = [e for e in severe if e not in icon]
    assert not severe, 'SEVERE browser console entries:\n  ' + '\n  '.join(str(e.get('message')) for e in severe)


CHECKS = [
    ('home page and "/" shortcut', check_home),
    ('Chinese search 退款 highlights and ranks 退款处理流程.md first', check_search_chinese),
    ('opening a hit shows the document with highlights', check_open_document),
    ('back restores results; arrows and Enter open a hit', check_back_and_keyboard),
    ('English search invoice reconciliation', check_search_english),
    ('a query with no results shows #empty', check_nothing_found),
    ('中文/English switch persists', check_language_switch),
    ('clicking a facet narrows the results and shows a removable chip', check_facet_click),
    ('a typed kind: filter shows a chip; removing it edits the query', check_typed_filter_chip),
    ('sort toggle 相关度/日期 orders by date and lives in the URL', check_sort_toggle),
    ('other matching sections fold under the best one and open there', check_more_matches),
    ('pagination: page numbers, previous and next', check_pagination),
    ('"did you mean" link searches the suggestion', check_did_you_mean),
    ('opening a result sends the search id', check_open_sends_search_id),
    ('a title holding HTML is shown as text', check_title_html_is_text),
    ('narrow screen: no sideways scroll, facets folded', check_narrow_screen),
    ('browser console has no SEVERE entries', check_console_clean),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--baton', help='path to the baton binary')
    ap.add_argument('--root', help='document folder to index and serve')
    ap.add_argument('--url', help='use a server already running at this base URL instead of starting one')
    harness.add_browser_args(ap)
    args = ap.parse_args()
    if not args.url and not (args.baton and args.root):
        ap.error('give --baton and --root, or --url')
    return harness.run(
        args, 'baton-browser-test-',
        lambda tmp: [Server(os.path.abspath(args.baton), os.path.abspath(args.root), tmp, [write_fixture(tmp)])],
        lambda driver, base, servers: Page(driver, base, has_fixture=bool(servers)),
        CHECKS, base_url=args.url)


if __name__ == '__main__':
    sys.exit(main())
