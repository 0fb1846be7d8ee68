#!/usr/bin/env python3
"""Headless-Chromium test of Baton's 提问 (questions) page, end to end against a live server.

    python3 tests/browser/questions_test.py --baton build/baton
    python3 tests/browser/questions_test.py --baton build/baton --screenshots /tmp/questions-shots

It writes a small handover folder of its own (one Markdown SOP about 退款), serves it with `baton serve` and an
editor token on a free loopback port, asks questions on #/questions (suggestions, a repeat merged into the first),
checks that HTML in a question, an asker and an answer shows as text and never runs, answers with a wrong token
and the right one, closes one, finds the answer by search and follows the empty-search offer to ask the team.
Needs Debian's python3-selenium and chromium-driver; nothing is downloaded. The last line is `N passed, N failed`.
"""

import argparse
import os
import sys
import time
import urllib.parse

import harness  # first: it makes Selenium importable (or re-runs this under the system Python)
from harness import BasePage, Server  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

EDITOR_TOKEN = 'questions-test-editor-token'


# ---- the fixture ----------------------------------------------------------------------------------------

QUESTION = '客户退款怎么处理？'
QUESTION_AGAIN = '客户退款 怎么處理'  # the same question: spaces, punctuation, Traditional/Simplified differ
ASKER = '测试员小王'
XSS_IMG = '<img src=x onerror=window.__xss=1>'
XSS_SCRIPT = '<script>window.__xss=1</script>'
XSS_QUESTION = '退款审批 ' + XSS_IMG
ANSWER_WORD = 'refundflowx'  # a word only the answer holds
ANSWER = f'退款先由财务主管审批，再在工单系统 {ANSWER_WORD} 里登记。{XSS_IMG}'
GOOD_LINK = 'https://example.com/refund'
BAD_LINK = 'javascript:window.__xss=1'
ZERO_HIT_QUERY = 'qqzzvvxxkk'


def write_fixture(tmp):
    root = os.path.join(tmp, 'handover')
    path = os.path.join(root, '操作手册', '退款处理流程.md')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('''# 退款处理流程

整理：王磊　最后更新：2026-11-20

## 适用范围

客户申请退款时按本流程处理：确认订单、核对付款记录、提交退款申请。

## 步骤

1. 客户发邮件申请退款，写明订单号和退款原因。
2. 在订单系统里核对付款记录，确认可以退款。
3. 填写退款申请单，交财务处理，一般三个工作日内退回原付款账户。
''')
    return root


class Page(BasePage):
    """Small helpers over the driver that know the questions page's ids and the data-state protocol."""

    def __init__(self, driver, server):
        super().__init__(driver, server.url, server)

    def open(self, hash_):
        # A fresh document each time (window.__xss starts undefined).
        self.d.get('about:blank')
        self.d.get(self.base + '/' + hash_)

    def wait_questions(self):
        js = ("const s = document.body.dataset.state;"
              "if (document.body.dataset.view !== 'questions' || s === 'loading') return null;"
              "if (s === 'error') return 'error';"
              "return document.getElementById('question-list') && document.getElementById('q-total').textContent"
              " ? 'done' : null;")
        st = self.wait(lambda d: d.execute_script(js), 'the questions page')
        if st == 'error':
            raise AssertionError(f'the questions page shows an error: '
                                 f'{self.d.find_element(By.ID, "questions-error").text!r}')
        return self.d.find_element(By.ID, 'questions')

    def open_questions(self, hash_='#/questions'):
        self.open(hash_)
        return self.wait_questions()

    def wait_search(self, q):
        js = ("const r = document.getElementById('results'); const s = document.body.dataset.state;"
              "return r && r.dataset.q === arguments[0] && s !== 'loading' && document.body.dataset.view === 'search'"
              " ? s : null;")
        st = self.wait(lambda d: d.execute_script(js, q), f'results for {q!r}')
        if st == 'error':
            raise AssertionError(f'search {q!r} showed an error: {self.d.find_element(By.ID, "error").text!r}')
        return self.d.find_elements(By.CSS_SELECTOR, '#results .hit')

    def item(self, text_part):
        """The first question in the list whose text holds text_part, or None."""
        return self.d.execute_script(
            "return [...document.querySelectorAll('#question-list .question')].find("
            "r => r.querySelector('.question-text').textContent.includes(arguments[0])) || null;", text_part)

    def click(self, element):
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()

    def ask(self, question, asker):
        q = self.d.find_element(By.ID, 'ask-q')
        q.clear()
        q.send_keys(question)
        name = self.d.find_element(By.ID, 'ask-name')
        name.clear()
        name.send_keys(asker)
        before = self.d.execute_script("const r = document.querySelector('#ask-result .ask-done'); return r ? r : null;")
        self.click(self.d.find_element(By.ID, 'ask-submit'))
        self.wait(lambda d: d.execute_script(
            "const r = document.querySelector('#ask-result .ask-done');"
            "return r && r !== arguments[0] && document.body.dataset.state === 'done' ? r : null;", before),
            'the reply to the question')
        return self.d.find_element(By.CSS_SELECTOR, '#ask-result .ask-done')


def xss_flags(page):
    return page.d.execute_script(
        "return {xss: typeof window.__xss,"
        " injected: [...document.querySelectorAll('#questions img, #questions script, #questions iframe')]"
        ".map(e => e.tagName), js: [...document.querySelectorAll('a[href^=\"javascript\" i]')].length};")


# ---- checks: each takes the Page and raises AssertionError ----------------------------------------------

def check_header_link(page):
    page.d.get(page.base + '/')
    page.wait(lambda d: d.find_elements(By.ID, 'nav-questions'), 'the 提问 link in the header')
    link = page.d.find_element(By.ID, 'nav-questions')
    assert link.text == '提问', f'the header link reads {link.text!r}'
    assert link.get_attribute('href').endswith('#/questions'), link.get_attribute('href')
    link.click()
    page.wait_questions()
    assert page.d.find_element(By.ID, 'nav-questions').get_attribute('aria-current') == 'page'
    assert page.d.find_element(By.CSS_SELECTOR, '#questions h1').text == '提问'
    active = page.d.find_element(By.CSS_SELECTOR, '.q-filter-link.active')
    assert active.text == '待回答', f'the default filter is {active.text!r}'


def check_ask_suggestions(page):
    page.open_questions()
    done = page.ask(QUESTION, ASKER)
    assert done.get_attribute('data-merged') == 'false', 'a new question reads as merged'
    assert '已提交' in done.text, f'the reply reads {done.text!r}'
    links = done.find_elements(By.CSS_SELECTOR, '.q-sugg a.q-sugg-title')
    assert links, f'no suggested answers: {done.text!r}'
    assert links[0].get_attribute('href').split('#', 1)[1].startswith('/doc/'), links[0].get_attribute('href')
    assert '退款' in links[0].text, f'the first suggestion is {links[0].text!r}'
    assert done.find_elements(By.CSS_SELECTOR, '.q-sugg .snippet mark'), 'the suggestion snippet has no <mark>'
    page.wait(lambda d: page.item('客户退款'), 'the question in the open list')
    item = page.item('客户退款')
    assert ASKER in item.text and '问了 1 次' in item.text, f'the list item reads {item.text!r}'
    # A suggestion opens its document.
    page.click(links[0])
    page.wait(lambda d: d.execute_script("return document.body.dataset.view === 'doc' &&"
                                         " document.body.dataset.state === 'done'"), 'the suggested document')
    assert '退款处理流程' in page.d.find_element(By.ID, 'doc').text


def check_merged(page):
    page.open_questions()
    done = page.ask(QUESTION_AGAIN, '另一个人')
    assert done.get_attribute('data-merged') == 'true', f'the repeat was not merged: {done.text!r}'
    assert done.get_attribute('data-count') == '2', done.get_attribute('data-count')
    assert '共问了 2 次' in done.text, f'the merge note reads {done.text!r}'
    page.wait(lambda d: (page.item('客户退款') and '问了 2 次' in page.item('客户退款').text) or None,
              'the list to say asked 2 times')
    items = page.d.find_elements(By.CSS_SELECTOR, '#question-list .question')
    assert len(items) == 1, f'{len(items)} questions listed after a merged repeat'


def check_xss_question(page):
    page.open_questions()
    page.ask(XSS_QUESTION, XSS_SCRIPT)
    page.wait(lambda d: page.item(XSS_IMG), 'the HTML question in the list, as text')
    item = page.item(XSS_IMG)
    assert item.find_element(By.CSS_SELECTOR, '.question-text').text == XSS_QUESTION
    assert XSS_SCRIPT in item.text, f'the asker does not show as text: {item.text!r}'
    assert XSS_IMG in page.d.find_element(By.CSS_SELECTOR, '#ask-result .ask-done-q').text
    time.sleep(0.3)
    flags = xss_flags(page)
    assert flags == {'xss': 'undefined', 'injected': [], 'js': 0}, f'a payload ran or was parsed: {flags}'


def answer_panel_token(page, item):
    return page.wait(lambda d: item.find_element(By.CSS_SELECTOR, '.ent-panel input[type=password]'), 'the token form')


def check_answer_tokens(page):
    page.open_questions()
    page.d.execute_script("sessionStorage.clear();")
    item = page.item('客户退款')
    assert item is not None, 'the question is not in the open list'
    qid = item.get_attribute('data-id')
    page.click(item.find_element(By.CSS_SELECTOR, '.q-answer-toggle'))
    form = item.find_element(By.CSS_SELECTOR, '.q-answer-form')
    form.find_element(By.CSS_SELECTOR, '.q-answer-input').send_keys(ANSWER)
    by = form.find_element(By.CSS_SELECTOR, '.q-by-input')
    by.clear()
    by.send_keys('王磊 ' + XSS_IMG)
    form.find_element(By.CSS_SELECTOR, '.q-links-input').send_keys(GOOD_LINK + '\n' + BAD_LINK)
    page.click(form.find_element(By.CSS_SELECTOR, 'button[type=submit]'))
    token = answer_panel_token(page, item)
    token.send_keys('not-the-token', Keys.ENTER)
    error = page.wait(lambda d: item.find_elements(By.CSS_SELECTOR, '.ent-panel .ent-error'), 'the 401 message')[0]
    assert '口令不对' in error.text, f'the 401 error reads {error.text!r}'
    assert not page.d.execute_script("return sessionStorage.getItem('baton.editorToken');"), 'a refused token is kept'
    assert page.item('客户退款') is not None, 'a refused answer changed the list'
    token = item.find_element(By.CSS_SELECTOR, '.ent-panel input[type=password]')
    token.send_keys(EDITOR_TOKEN, Keys.ENTER)
    page.wait(lambda d: d.execute_script(
        "const n = document.getElementById('q-notice'); return n && !n.hidden && n.textContent &&"
        " document.body.dataset.state === 'done' ? n.textContent : null;"), 'the notice of the answer')
    notice = page.d.find_element(By.ID, 'q-notice').text
    assert '已保存回答' in notice, f'the notice reads {notice!r}'
    assert page.d.execute_script("return sessionStorage.getItem('baton.editorToken');") == EDITOR_TOKEN
    assert page.item('客户退款') is None, 'the answered question is still in the open list'
    # Under 已回答: the answer as text, the https link as a link, the javascript: one as text.
    page.click(page.d.find_element(By.CSS_SELECTOR, '.q-filter-link[data-status=answered]'))
    page.wait(lambda d: d.execute_script("return document.getElementById('questions') &&"
                                         " document.getElementById('questions').dataset.status === 'answered'"),
              'the answered filter')
    page.wait_questions()
    item = page.wait(lambda d: page.item('客户退款'), 'the question under 已回答')
    assert item.get_attribute('data-id') == qid and item.get_attribute('data-status') == 'answered'
    assert item.find_element(By.CSS_SELECTOR, '.q-answer-text').text == ANSWER
    assert '王磊 ' + XSS_IMG in item.text, 'answered_by does not show as text'
    links = item.find_elements(By.CSS_SELECTOR, '.q-links a')
    assert [a.get_attribute('href') for a in links] == [GOOD_LINK], [a.get_attribute('href') for a in links]
    texts = [s.text for s in item.find_elements(By.CSS_SELECTOR, '.q-links .q-link-text')]
    assert texts == [BAD_LINK], texts
    assert not item.find_elements(By.CSS_SELECTOR, '.q-answer-form, .q-answer-toggle'), 'an answered one has a form'
    time.sleep(0.3)
    flags = xss_flags(page)
    assert flags == {'xss': 'undefined', 'injected': [], 'js': 0}, f'a payload ran or was parsed: {flags}'


def check_close(page):
    page.open_questions()
    item = page.item(XSS_IMG)
    assert item is not None, 'the HTML question is not in the open list'
    page.click(item.find_element(By.CSS_SELECTOR, '.q-close'))  # the token is kept from the previous check
    page.wait(lambda d: d.execute_script(
        "const n = document.getElementById('q-notice'); return n && !n.hidden &&"
        " n.textContent.includes('已关闭') && document.body.dataset.state === 'done';"), 'the notice of the close')
    assert page.item(XSS_IMG) is None, 'the closed question is still open'
    page.open_questions('#/questions?status=closed')
    item = page.wait(lambda d: page.item(XSS_IMG), 'the question under 已关闭')
    assert item.get_attribute('data-status') == 'closed'
    assert xss_flags(page)['xss'] == 'undefined'


def check_search_finds_answer(page):
    page.open('#/search?q=' + urllib.parse.quote(ANSWER_WORD))
    hits = page.wait_search(ANSWER_WORD)
    assert hits, f'searching {ANSWER_WORD!r} finds nothing: {page.text()[:300]!r}'
    kind = hits[0].find_element(By.CSS_SELECTOR, '.badge').get_attribute('data-kind')
    assert kind == 'answer', f'the first hit is of kind {kind!r}'
    assert '客户退款' in hits[0].find_element(By.CSS_SELECTOR, '.hit-title').text
    assert page.d.execute_script("return typeof window.__xss") == 'undefined'
    assert not page.d.find_elements(By.CSS_SELECTOR, '#results img')


def check_empty_search_offer(page):
    page.open('#/search?q=' + ZERO_HIT_QUERY)
    hits = page.wait_search(ZERO_HIT_QUERY)
    assert not hits, 'the zero-hit query found something'
    link = page.wait(lambda d: d.find_element(By.ID, 'ask-team'), 'the offer to ask the team')
    assert link.text == '把这个问题提交给团队', f'the offer reads {link.text!r}'
    assert link.get_attribute('href').endswith('#/questions?q=' + ZERO_HIT_QUERY), link.get_attribute('href')
    link.click()
    page.wait_questions()
    value = page.d.find_element(By.ID, 'ask-q').get_attribute('value')
    assert value == ZERO_HIT_QUERY, f'the question box holds {value!r}'


def check_english(page):
    page.open_questions()
    page.d.find_element(By.ID, 'lang').click()
    try:
        page.wait(lambda d: d.find_element(By.ID, 'nav-questions').text == 'Questions', 'the English header link')
        assert page.d.find_element(By.CSS_SELECTOR, '#questions h1').text == 'Questions'
        labels = [a.text for a in page.d.find_elements(By.CSS_SELECTOR, '.q-filter-link')]
        assert labels == ['Open', 'Answered', 'Closed', 'All'], labels
        assert page.d.find_element(By.ID, 'ask-submit').text == 'Ask'
    finally:
        page.d.find_element(By.ID, 'lang').click()
        page.wait(lambda d: d.find_element(By.ID, 'nav-questions').text == '提问', 'the Chinese header link')


def check_narrow_screen(page):
    page.d.set_window_size(380, 800)
    try:
        page.open_questions('#/questions?status=all')
        wide = page.d.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1;")
        assert not wide, 'the page scrolls sideways on a narrow screen'
    finally:
        page.d.set_window_size(1280, 900)


def check_console_clean(page):
    page.drain_console()
    severe = [e for e in page.console if e.get('level') == 'SEVERE']
    # The refused answer is an expected 401 in the console; a missing favicon is noise.
    noise = [e for e in severe if ('favicon' in str(e.get('message')) or '/api/questions/' in str(e.get('message')))
             and 'Failed to load resource' in str(e.get('message'))]
    severe = [e for e in severe if e not in noise]
    assert not severe, 'SEVERE browser console entries:\n  ' + '\n  '.join(str(e.get('message')) for e in severe)


CHECKS = [
    ('the header links to 提问', check_header_link),
    ('asking shows suggested answers at once', check_ask_suggestions),
    ('the same question again is merged (asked 2 times)', check_merged),
    ('HTML in a question and an asker shows as text', check_xss_question),
    ('a wrong token is refused; the right one answers', check_answer_tokens),
    ('close moves a question to 已关闭', check_close),
    ('search finds the answer (kind answer)', check_search_finds_answer),
    ('an empty search offers to ask the team', check_empty_search_offer),
    ('中文/English switch covers the page', check_english),
    ('narrow screen: no sideways scroll', check_narrow_screen),
    ('browser console has no SEVERE entries', check_console_clean),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--baton', required=True, help='path to the baton binary')
    harness.add_browser_args(ap)
    args = ap.parse_args()
    return harness.run(
        args, 'baton-questions-test-',
        lambda tmp: [Server(os.path.abspath(args.baton), write_fixture(tmp), tmp,
                            env={'BATON_EDITOR_TOKEN': EDITOR_TOKEN})],
        lambda driver, base, servers: Page(driver, servers[0]),
        CHECKS)


if __name__ == '__main__':
    sys.exit(main())
