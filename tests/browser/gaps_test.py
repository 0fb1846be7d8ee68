#!/usr/bin/env python3
"""Headless-Chromium test of Baton's 交接缺口 (gaps) page, end to end against a live server.

    python3 tests/browser/gaps_test.py --baton build/baton
    python3 tests/browser/gaps_test.py --baton build/baton --screenshots /tmp/gaps-shots

It writes a small handover folder of its own (write-ups under 客户/ and 系统/, two mails from a client nobody wrote
up, a TODO marker, a password line, and file names, titles and lines holding HTML and script), serves it with
`baton serve` and an editor token on a free loopback port, opens #/gaps and checks what the page shows and that
none of that HTML runs. Needs Debian's python3-selenium and chromium-driver; nothing is downloaded.
The last line is `N passed, N failed`.
"""

import argparse
import json
import os
import sys
import time
import urllib.parse

import harness  # first: it makes Selenium importable (or re-runs this under the system Python)
from harness import BasePage, Server  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

EDITOR_TOKEN = 'gaps-test-editor-token'


# ---- the fixture ----------------------------------------------------------------------------------------

PASSWORD = 'Ab@12345678'
CLIENT = '北京华辰物流有限公司'
CLIENT_DOMAIN = 'huachen-logistics.com'
# Each payload sets a flag if it ever runs; each must show on the page as the text it is.
XSS_IMG = '<img src=x onerror=window.__xss=1>'
XSS_SCRIPT = '<script>window.__xss=1</script>'
# The entity name comes from the file name, which cannot hold '/', and loses underscores on the way.
XSS_FILE = '<img src=x id=xss-entity onerror=window.xssEntity=1>'
XSS_TITLE = '<img src=x id=xss-title onerror=window.xssTitle=1>'
PAYLOAD_TEXTS = [XSS_IMG, XSS_SCRIPT, XSS_FILE, XSS_TITLE]
ZERO_HIT_QUERY = 'qqzzvvxxkk'  # a word nothing in the fixture holds: a search that found nothing


def write_fixture(tmp):
    root = os.path.join(tmp, 'handover')

    def put(rel, text):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)

    put('客户/杭州明川零售.md', '''# 杭州明川零售有限公司

整理：王磊　最后更新：2026-11-26

## 联系人

| 姓名 | 职位 | 联系方式 |
|---|---|---|
| 李娜 | IT 主管 | lina@mingchuan-retail.com |

李娜是日常唯一对接人，每周二下午固定开一次线上例会，系统故障时直接打电话，其余事项发邮件。她负责系统对接、账号开通和上线验收，
续费决策由运营副总负责。开票信息有变化时财务会发邮件通知。李娜的电话只在系统故障时打，其余事项发邮件或在企业微信里说。

## 订单历史

2025-07 首年订阅标准版 30 家门店 12 万元；2026-07 续费，门店增至 36 家，15 万元，原价续费没有折扣。付款方式都是合同签订后
一次性付清，发票为增值税专票。下一次续费在 2027 年 7 月，续费前两个月开始沟通。两次订单都由李娜发起，合同由运营副总签字。
''')
    put('系统/云杉管理后台.md', f'''# 云杉管理后台

整理：王磊　最后更新：2026-11-20

## 用途

内部管理所有客户租户的系统：新客户开通租户、调整门店数、延长试用期、停用到期租户、查看操作日志。

## 账号与权限

- 超级管理员账号：cs-admin
- 后台密码：{PASSWORD}
- TODO：补上财务角色的权限说明
''')
    # HTML in a file name (the entity name), a title (a code span keeps it text) and two marker lines.
    put(f'客户/{XSS_FILE}.md', f'''# `{XSS_TITLE}` 客户资料

整理：王磊　最后更新：2026-11-20

## 联系人

- 对接人：张三，电话 010-0000 0000，每周一上午联系。
- TODO：{XSS_IMG} 补上备用联系人
- 待补充：{XSS_SCRIPT}
''')
    put('操作手册/旧版开票流程.md', '''# 旧版开票流程

整理：王磊　最后更新：2020-01-15

## 步骤

1. 在开票系统里填写客户抬头和税号。
2. 财务审核后开具发票，寄给客户。
''')
    mails = [
        ('2026-10-22', 'Thu, 22 Oct 2026 09:30:15 +0800', '华辰物流：正式采购询价',
         '感谢上次的演示，按配送线路分组的方案我们认可。现在想正式询价：6 个仓全部上线，签三年，请给一个含实施费的报价。'),
        ('2026-11-18', 'Wed, 18 Nov 2026 17:05:31 +0800', '华辰物流：询价进展',
         '上个月的询价还没有收到报价，我们董事会月底要定明年的系统预算，麻烦尽快回复。'),
    ]
    for i, (day, date, subject, body) in enumerate(mails):
        import base64
        encoded = base64.b64encode(subject.encode('utf-8')).decode('ascii')
        put(f'沟通记录/邮件/{day}_华辰物流_{i}.eml', f'''From: =?utf-8?b?5YiY5rSL?= <liuyang@{CLIENT_DOMAIN}>
To: =?utf-8?b?546L56OK?= <wanglei@yunshan-tech.com>
Subject: =?utf-8?b?{encoded}?=
Date: {date}
Message-ID: <{day}.{i}@{CLIENT_DOMAIN}>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

王经理：

{body}

刘洋
运营总监
{CLIENT}
电话：010-0000 0000
''')
    return root


class Page(BasePage):
    """Small helpers over the driver that know the gap page's ids and the data-state protocol."""

    def __init__(self, driver, server):
        super().__init__(driver, server.url, server)

    def open_gaps(self, hash_='#/gaps'):
        # A fresh document each time (window.__xss and friends start undefined): a URL that differs only in
        # its fragment would be a same-document navigation, so leave the page first.
        self.d.get('about:blank')
        self.d.get(self.base + '/' + hash_)
        return self.wait_gaps()

    def wait_gaps(self, as_of=None):
        """Waits until the gap report is rendered (for as_of, if given); returns the #gaps element."""
        js = ("const g = document.getElementById('gaps'); const s = document.body.dataset.state;"
              "if (document.body.dataset.view !== 'gaps' || s === 'loading') return null;"
              "if (s === 'error') return 'error';"
              "return g && (!arguments[0] || g.dataset.asOf === arguments[0]) ? 'done' : null;")
        st = self.wait(lambda d: d.execute_script(js, as_of), 'the gap report')
        if st == 'error':
            raise AssertionError(f'the gap page shows an error: {self.d.find_element(By.ID, "gaps-error").text!r}')
        return self.d.find_element(By.ID, 'gaps')

    def entity_row(self, key_part):
        """The first entity row whose key holds key_part, or None (one script: safe while the page re-renders)."""
        return self.d.execute_script(
            "return [...document.querySelectorAll('#gaps .ent')].find(r => r.dataset.key.includes(arguments[0]))"
            " || null;", key_part)

    def click(self, element):
        """Clicks element after scrolling it to the middle (the decision notice sticks to the bottom)."""
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()


def xss_flags(page):
    return page.d.execute_script(
        "return {xss: typeof window.__xss, entity: typeof window.xssEntity, title: typeof window.xssTitle,"
        " injected: [...document.querySelectorAll('#gaps img, #gaps script, #gaps iframe, #gaps svg, #gaps b')]"
        ".map(e => e.tagName + '#' + e.id)};")


# ---- checks: each takes the Page and raises AssertionError ----------------------------------------------

def check_header_link(page):
    page.d.get(page.base + '/')
    page.wait(lambda d: d.find_elements(By.ID, 'nav-gaps'), 'the 交接缺口 link in the header')
    link = page.d.find_element(By.ID, 'nav-gaps')
    assert link.text == '交接缺口', f'the header link reads {link.text!r}'
    link.click()
    page.wait_gaps()
    assert page.d.execute_script('return location.hash') == '#/gaps', 'the link does not go to #/gaps'
    assert link.get_attribute('aria-current') == 'page', 'the header link is not marked as the current page'


def check_overview(page):
    gaps = page.open_gaps()
    score = gaps.find_element(By.ID, 'gaps-score').text
    num = gaps.find_element(By.CSS_SELECTOR, '.score-num').text
    assert '/100' in score, f'the score reads {score!r}'
    assert 0 <= float(num) <= 100, f'the score is {num!r}'
    formula = gaps.find_element(By.CSS_SELECTOR, '.formula').text
    assert 'score' in formula and '13' in formula, f'the formula reads {formula!r}'
    meta = gaps.find_element(By.CSS_SELECTOR, '.gaps-meta').text
    assert '交接清单' in meta and 'checklist' in meta.lower(), f'the checklist is not named: {meta!r}'
    as_of = gaps.get_attribute('data-as-of')
    assert len(as_of) == 10 and gaps.find_element(By.ID, 'gaps-as-of').get_attribute('value') == as_of, \
        f'the date input does not hold the report date {as_of!r}'
    areas = page.d.execute_script(
        "return [...document.querySelectorAll('#areas > .area')].map(a => ({id: a.dataset.area, state: a.dataset.state,"
        " pill: a.querySelector('.pill').textContent, pct: a.querySelector('.area-pct').textContent,"
        " fill: a.querySelector('.bar-fill').getBoundingClientRect().width,"
        " bar: a.querySelector('.bar').clientWidth, colour: getComputedStyle(a.querySelector('.bar-fill')).backgroundColor}));")
    assert len(areas) == 13, f'{len(areas)} area bars, expected 13'
    words = {'covered': '已覆盖', 'partial': '部分', 'missing': '缺失'}
    for a in areas:
        assert a['state'] in words, f'area {a["id"]} has state {a["state"]!r}'
        assert words[a['state']] in a['pill'], f'area {a["id"]} ({a["state"]}) is labelled {a["pill"]!r}'
        pct = int(a['pct'].rstrip('%'))
        assert abs(a['fill'] - a['bar'] * pct / 100) <= 2, f'area {a["id"]}: bar {a["fill"]}px of {a["bar"]} for {pct}%'
    states = {a['state'] for a in areas}
    assert len(states) >= 2, f'the fixture should give more than one state, got {states}'
    colours = {}
    for a in areas:
        if a['fill'] > 0:
            colours.setdefault(a['state'], set()).add(a['colour'])
    assert all(len(c) == 1 for c in colours.values()), f'one colour per state expected: {colours}'
    assert len(set().union(*colours.values())) == len(colours), f'states share a colour: {colours}'


def check_undocumented_client(page):
    page.open_gaps()
    row = page.entity_row(CLIENT[2:6])  # 华辰物流
    assert row, 'the undocumented client 华辰物流 is not listed; entities: ' + ', '.join(
        r.get_attribute('data-key') for r in page.d.find_elements(By.CSS_SELECTOR, '#gaps .ent'))
    group = page.d.execute_script("return arguments[0].closest('.todo-group').dataset.group", row)
    assert group == 'undocumented', f'华辰物流 is listed under {group!r}'
    text = row.text
    assert CLIENT in text, f'the row reads {text!r}'
    assert '客户' in row.find_element(By.CSS_SELECTOR, '.ent-kind').text, 'no client badge'
    assert '2 次沟通' in text, f'the conversation count is missing: {text!r}'
    assert CLIENT_DOMAIN in text, f'the mail domain is not shown as an alias: {text!r}'
    links = row.find_elements(By.CSS_SELECTOR, '.ent-seen a')
    assert len(links) == 2 and all(a.get_attribute('href').split('#', 1)[1].startswith('/doc/') for a in links), \
        'the two mails are not linked'
    labels = [b.text for b in row.find_elements(By.CSS_SELECTOR, '.ent-actions button')]
    assert labels[:4] == ['确认', '忽略', '改名', '合并'], f'the decision buttons read {labels}'


def check_markers_and_secret(page):
    gaps = page.open_gaps()
    markers = [m.text for m in gaps.find_elements(By.CSS_SELECTOR, '#group-markers .marker')]
    todo = [m for m in markers if '系统/云杉管理后台.md:' in m and 'TODO' in m]
    assert todo and '补上财务角色的权限说明' in todo[0], f'the TODO marker is not shown: {markers}'
    link = gaps.find_element(By.CSS_SELECTOR, '#group-markers .marker a')
    assert link.get_attribute('href').split('#', 1)[1].startswith('/doc/'), 'a marker does not link to its document'
    secrets = gaps.find_elements(By.CSS_SELECTOR, '#group-secrets .secret')
    assert secrets, 'no secret is listed'
    text = secrets[0].text
    assert '系统/云杉管理后台.md:' in text and 'password' in text, f'the secret row reads {text!r}'
    masked = secrets[0].find_element(By.CSS_SELECTOR, '.masked').text
    assert masked and '*' in masked and masked != PASSWORD, f'the masked value is {masked!r}'
    html = page.d.page_source
    body = page.text()
    for part in (PASSWORD, PASSWORD[3:]):
        assert part not in html and part not in body, f'the password ({part}) is on the page'


def check_no_xss(page):
    gaps = page.open_gaps()
    # Open every area and the covered entities too, so every piece of the report is in the DOM.
    for b in gaps.find_elements(By.CSS_SELECTOR, '.area-row'):
        page.d.execute_script('arguments[0].click()', b)
    page.d.execute_script("document.querySelectorAll('#gaps details').forEach(d => d.open = true)")
    time.sleep(0.3)
    flags = xss_flags(page)
    assert flags['xss'] == 'undefined' and flags['entity'] == 'undefined' and flags['title'] == 'undefined', \
        f'a payload ran: {flags}'
    assert not flags['injected'], f'HTML from the report became elements: {flags["injected"]}'
    text = gaps.get_attribute('textContent')
    for payload in (XSS_IMG, XSS_SCRIPT, XSS_TITLE):
        assert payload in text, f'{payload!r} is not shown as text'
    # The file name becomes the entity name; it loses some punctuation on the way but stays text.
    assert '<img src=x id=xss-entity' in text, 'the file name with HTML is not shown as text'


def check_drill_down(page):
    gaps = page.open_gaps()
    row = gaps.find_element(By.CSS_SELECTOR, '.area[data-area="systems"] .area-row')
    detail = gaps.find_element(By.CSS_SELECTOR, '.area[data-area="systems"] .area-detail')
    assert not detail.is_displayed(), 'the area detail shows before it is asked for'
    row.click()
    page.wait(lambda d: detail.is_displayed(), 'the systems area to open')
    assert row.get_attribute('aria-expanded') == 'true', 'aria-expanded is not true on an open area'
    links = detail.find_elements(By.CSS_SELECTOR, '.evidence a')
    assert links, f'the systems area shows no evidence: {detail.text!r}'
    assert any('云杉管理后台' in a.text for a in links), f'evidence: {[a.text for a in links]}'
    assert '还缺' in detail.text or '应包含' in detail.text, f'the detail reads {detail.text!r}'
    # A missing area says what is missing.
    missing = gaps.find_elements(By.CSS_SELECTOR, '.area[data-state="missing"] .area-row')
    if missing:
        missing[0].send_keys(Keys.ENTER)  # keyboard: Enter on the row opens it
        d2 = missing[0].find_element(By.XPATH, '..').find_element(By.CSS_SELECTOR, '.area-detail')
        page.wait(lambda d: d2.is_displayed(), 'a missing area to open with Enter')
        assert '还缺' in d2.text or '没有找到依据' in d2.text, f'a missing area reads {d2.text!r}'
    # Evidence opens the document; its back link returns to the report.
    target = links[0].get_attribute('href')
    links[0].click()
    page.wait(lambda d: d.execute_script("return document.body.dataset.view === 'doc' &&"
                                         " document.body.dataset.state === 'done'"), 'the evidence document')
    assert page.d.current_url == target, f'opened {page.d.current_url}, the link was {target}'
    back = page.d.find_element(By.ID, 'back')
    assert '交接缺口' in back.text, f'the back link reads {back.text!r}'
    back.click()
    page.wait_gaps()
    detail = page.d.find_element(By.CSS_SELECTOR, '.area[data-area="systems"] .area-detail')
    assert detail.is_displayed(), 'coming back closed the area that was open'


def decision_panel(page, key_part):
    row = page.entity_row(key_part)
    assert row, f'no entity row for {key_part}'
    return row, row.find_element(By.CSS_SELECTOR, '.ent-panel')


def check_decision_tokens(page):
    page.open_gaps()
    page.d.execute_script("sessionStorage.removeItem('baton.editorToken')")
    page.open_gaps()
    row, panel = decision_panel(page, '华辰物流')
    row.find_element(By.CSS_SELECTOR, '.act-ignore').click()
    token = page.wait(lambda d: panel.find_element(By.CSS_SELECTOR, 'input[type=password]'), 'the token form')
    assert page.d.switch_to.active_element == token, 'the token field does not have the focus'
    token.send_keys('not-the-token', Keys.ENTER)
    error = page.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '.ent[data-key*="华辰物流"] .ent-error'),
                      'the error for a wrong token')[0]
    assert '口令不对' in error.text, f'the 401 error reads {error.text!r}'
    assert page.entity_row('华辰物流'), 'the client went away after a refused decision'
    stored = page.d.execute_script("return sessionStorage.getItem('baton.editorToken')")
    assert not stored, f'a refused token is kept: {stored!r}'
    # The form is there again for the right one.
    row, panel = decision_panel(page, '华辰物流')
    token = panel.find_element(By.CSS_SELECTOR, 'input[type=password]')
    token.send_keys(EDITOR_TOKEN, Keys.ENTER)
    page.wait(lambda d: not page.entity_row('华辰物流'), 'the ignored client to leave the report')
    page.wait_gaps()
    notice = page.d.find_element(By.ID, 'gaps-notice')
    assert '已忽略' in notice.text and CLIENT in notice.text, f'the notice reads {notice.text!r}'
    stored = page.d.execute_script("return sessionStorage.getItem('baton.editorToken')")
    assert stored == EDITOR_TOKEN, 'the token is not kept in sessionStorage'
    # A reload of the page: still gone (the server keeps the decision).
    page.open_gaps()
    assert not page.entity_row('华辰物流'), 'the ignored client is back after a reload'
    status, _, body = page.server.get('/api/gaps')
    assert status == 200 and '华辰物流' not in ''.join(json.loads(body).get('undocumented', [])), \
        'the server still lists the ignored client'


def check_undo_and_rename(page):
    page.open_gaps()
    assert not page.entity_row('华辰物流'), 'expected the client ignored by the previous check'
    # The token is kept from the previous check: ignore another entity, then undo it from the notice.
    row = page.d.find_elements(By.CSS_SELECTOR, '#group-undocumented .ent, #group-partial .ent')[0]
    key = row.get_attribute('data-key')
    row.find_element(By.CSS_SELECTOR, '.act-ignore').click()
    page.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f'.ent[data-key="{key}"]'), f'{key} to be ignored')
    notice = page.wait(lambda d: d.find_element(By.ID, 'gaps-notice'), 'the notice')
    assert page.d.switch_to.active_element == notice, 'the focus is not on the notice after the reload'
    page.click(notice.find_element(By.CSS_SELECTOR, '.notice-row .btn'))
    page.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'.ent[data-key="{key}"]'), f'{key} to come back on undo')
    # Rename: a small form; Escape cancels and gives the focus back.
    row = page.d.find_element(By.CSS_SELECTOR, f'.ent[data-key="{key}"]')
    page.click(row.find_element(By.CSS_SELECTOR, '.act-rename'))
    field = page.wait(lambda d: d.find_element(By.CSS_SELECTOR, f'.ent[data-key="{key}"] .ent-panel input'),
                      'the rename field')
    field.send_keys(Keys.ESCAPE)
    page.wait(lambda d: not d.find_element(By.CSS_SELECTOR, f'.ent[data-key="{key}"] .ent-panel').is_displayed(),
              'Escape to close the rename form')
    assert page.d.switch_to.active_element.get_attribute('data-action') == 'rename', \
        'Escape did not give the focus back to the rename button'
    # Merge offers the other entities by name.
    page.click(row.find_element(By.CSS_SELECTOR, '.act-merge'))
    options = page.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'.ent[data-key="{key}"] .ent-merge option'),
                        'the merge choices')
    values = [o.get_attribute('value') for o in options]
    assert key not in values and len(values) >= 1, f'merge offers {values}'
    # Rename with Enter: the report comes back with the new name under the same key.
    page.click(row.find_element(By.CSS_SELECTOR, '.act-rename'))
    field = page.wait(lambda d: d.find_element(By.CSS_SELECTOR, f'.ent[data-key="{key}"] .ent-panel input'),
                      'the rename field')
    field.clear()
    field.send_keys('改过的名字 renamed', Keys.ENTER)
    page.wait(lambda d: d.execute_script(
        "const n = document.querySelector('.ent[data-key=\"' + arguments[0] + '\"] .ent-name');"
        " return n && n.textContent === '改过的名字 renamed';", key), 'the new name')


def check_add_entity(page):
    """A system the report did not recognise is added by name, found in the material, and taken back."""
    page.open_gaps()
    box = page.d.find_element(By.ID, 'add-entity')
    name = box.find_element(By.CSS_SELECTOR, '.add-entity-name')
    page.click(name)
    name.send_keys('开票系统')
    Select(box.find_element(By.CSS_SELECTOR, '.add-entity-kind')).select_by_value('system')
    page.click(box.find_element(By.CSS_SELECTOR, 'button[type=submit]'))
    row = page.wait(lambda d: page.entity_row('开票系统'), 'the added system in the report')
    page.wait_gaps()
    row = page.entity_row('开票系统')
    assert row.find_element(By.CSS_SELECTOR, '.ent-kind').get_attribute('data-kind') == 'system', 'the kind chosen is not kept'
    assert row.find_elements(By.CSS_SELECTOR, '.ent-added'), 'the added system has no "added by hand" badge'
    assert '处提及' in row.text, f'the manual that names it is not counted: {row.text!r}'
    actions = [b.get_attribute('data-action') for b in row.find_elements(By.CSS_SELECTOR, '.ent-actions button')]
    assert actions == ['undo', 'rename', 'kind'], f'an added one offers {actions}'
    notice = page.d.find_element(By.ID, 'gaps-notice')
    assert '已添加' in notice.text and '开票系统' in notice.text, f'the notice reads {notice.text!r}'
    status, _, body = page.server.get('/api/gaps')
    added = [e for e in json.loads(body)['entities'] if e['key'] == '开票系统']
    assert status == 200 and added and added[0]['decision'] == 'added', 'the server does not list the added system'
    # Taken back from the notice: gone from the report.
    page.click(notice.find_element(By.CSS_SELECTOR, '.notice-row .btn'))
    page.wait(lambda d: not page.entity_row('开票系统'), 'the added system to go on undo')


def check_demand(page):
    for _ in range(2):
        status, _, _ = page.server.get('/api/search?q=' + urllib.parse.quote(ZERO_HIT_QUERY))
        assert status == 200, f'the zero-hit search answered {status}'
    # The server writes its search log in the background (about every half second).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        _, _, body = page.server.get('/api/gaps')
        if any(x.get('query') == ZERO_HIT_QUERY for x in json.loads(body)['demand']['not_found']):
            break
        time.sleep(0.25)
    page.open_gaps()
    items = page.d.find_elements(By.CSS_SELECTOR, '#group-demand .demand')
    mine = [i for i in items if ZERO_HIT_QUERY in i.text]
    assert mine, f'the search that found nothing is not listed: {[i.text for i in items]}'
    assert '2 次' in mine[0].text, f'the count is not shown: {mine[0].text!r}'
    mine[0].find_element(By.CSS_SELECTOR, 'a').click()
    page.wait(lambda d: d.execute_script(
        "const r = document.getElementById('results'); return document.body.dataset.view === 'search' &&"
        " document.body.dataset.state !== 'loading' && r.dataset.q === arguments[0];", ZERO_HIT_QUERY),
        'the search to run again')


def check_download_and_date(page):
    gaps = page.open_gaps()
    as_of = gaps.get_attribute('data-as-of')
    link = page.d.find_element(By.ID, 'gaps-download')
    href = link.get_attribute('href')
    parts = urllib.parse.urlsplit(href)
    params = urllib.parse.parse_qs(parts.query)
    assert parts.path == '/api/gaps' and params.get('format') == ['md'], f'the download link is {href}'
    assert params.get('as_of') == [as_of], f'the download is not for the date shown ({as_of}): {href}'
    status, headers, body = page.server.get(parts.path + '?' + parts.query)
    assert status == 200 and 'attachment' in (headers.get('Content-Disposition') or ''), \
        f'the download answered {status} {headers.get("Content-Disposition")!r}'
    assert PASSWORD not in body.decode('utf-8', 'replace'), 'the Markdown report holds the password'
    # Another date reloads the report for it, in the URL and in the download.
    page.d.execute_script(
        "const i = document.getElementById('gaps-as-of'); i.value = '2030-06-30';"
        "i.dispatchEvent(new Event('change', {bubbles: true}));")
    gaps = page.wait_gaps('2030-06-30')
    assert 'as_of=2030-06-30' in page.d.current_url, f'the URL is {page.d.current_url}'
    href = page.d.find_element(By.ID, 'gaps-download').get_attribute('href')
    assert 'as_of=2030-06-30' in href and 'format=md' in href, f'the download link is {href}'
    stale = [s.text for s in gaps.find_elements(By.CSS_SELECTOR, '#group-stale .stale-doc')]
    assert any('旧版开票流程' in s for s in stale), f'the 2020 manual is not stale in 2030: {stale}'
    assert len(stale) >= 2, f'by 2030 the 2026 write-ups are stale too: {stale}'


def check_english(page):
    page.open_gaps()
    page.d.find_element(By.ID, 'lang').click()
    try:
        page.wait(lambda d: d.find_element(By.CSS_SELECTOR, '.gaps-title').text == 'Handover gaps', 'English title')
        assert page.d.find_element(By.ID, 'nav-gaps').text == 'Gaps', 'the header link is not in English'
        pills = set(page.d.execute_script(
            "return [...document.querySelectorAll('#areas .area-row .pill-text')].map(p => p.textContent);"))
        assert pills <= {'covered', 'partial', 'missing'} and pills, f'state labels in English: {pills}'
        assert page.d.find_element(By.ID, 'gaps-download').text.startswith('Download report'), 'download label'
        heads = [h.text for h in page.d.find_elements(By.CSS_SELECTOR, '.group-title')]
        assert any(h.startswith('Markers') for h in heads), f'group titles: {heads}'
        page.d.refresh()
        page.wait_gaps()
        assert page.d.find_element(By.CSS_SELECTOR, '.gaps-title').text == 'Handover gaps', 'English not kept'
    finally:
        page.d.execute_script("localStorage.removeItem('baton.lang');")
    page.open_gaps()
    assert page.d.find_element(By.CSS_SELECTOR, '.gaps-title').text == '交接缺口', 'not back to Chinese'


def check_keyboard(page):
    page.open_gaps()
    # Tab from the top of a fresh page reaches the header link, then the page's controls; Space opens an area.
    seen = []
    for _ in range(40):
        ActionChains(page.d).send_keys(Keys.TAB).perform()
        el = page.d.switch_to.active_element
        seen.append((el.tag_name, el.get_attribute('id') or el.get_attribute('class') or ''))
        if 'area-row' in (el.get_attribute('class') or ''):
            break
    else:
        raise AssertionError(f'Tab never reached an area row: {seen}')
    assert ('a', 'nav-gaps') in seen, f'Tab skipped the header link: {seen}'
    el.send_keys(Keys.SPACE)
    page.wait(lambda d: el.get_attribute('aria-expanded') == 'true', 'Space to open the area')


def check_narrow_screen(page):
    page.d.set_window_size(390, 844)
    try:
        page.open_gaps()
        page.d.execute_script("document.querySelectorAll('#gaps .area-row').forEach(b => b.click());"
                              "document.querySelectorAll('#gaps details').forEach(d => d.open = true);")
        time.sleep(0.3)
        over = page.d.execute_script('return document.documentElement.scrollWidth - window.innerWidth;')
        assert over <= 1, f'the gap page scrolls sideways by {over}px at 390px wide'
        top = page.d.execute_script("return document.getElementById('gaps-score').getBoundingClientRect().top;")
        assert top < 844, f'the score starts below the fold ({top}px)'
        bar = page.d.execute_script("return document.querySelector('#areas .bar').getBoundingClientRect().width;")
        assert bar >= 120, f'the bars are {bar}px wide on a phone'
    finally:
        page.d.set_window_size(1280, 900)


def check_console_clean(page):
    page.drain_console()
    severe = [e for e in page.console if e.get('level') == 'SEVERE']
    # A refused decision is an expected 401 in the console; a missing favicon is noise. Anything else
    # (a CSP violation, a script error) fails.
    noise = [e for e in severe if ('favicon' in str(e.get('message')) or '/api/entities/decision' in str(e.get('message')))
             and 'Failed to load resource' in str(e.get('message'))]
    severe = [e for e in severe if e not in noise]
    assert not severe, 'SEVERE browser console entries:\n  ' + '\n  '.join(str(e.get('message')) for e in severe)


CHECKS = [
    ('the header links to 交接缺口', check_header_link),
    ('score, formula, checklist, date and 13 area bars', check_overview),
    ('the undocumented client is listed with its mails', check_undocumented_client),
    ('markers and the masked password (never the password)', check_markers_and_secret),
    ('no payload runs; HTML shows as text', check_no_xss),
    ('an area drills down to its evidence, and back', check_drill_down),
    ('a wrong token is refused; the right one ignores the client', check_decision_tokens),
    ('undo from the notice; rename and merge forms', check_undo_and_rename),
    ('a system the report missed is added by name, then taken back', check_add_entity),
    ('a search that found nothing is listed and runs again', check_demand),
    ('download link and another as-of date', check_download_and_date),
    ('中文/English switch covers the page', check_english),
    ('keyboard: Tab to an area, Space opens it', check_keyboard),
    ('narrow screen: no sideways scroll', check_narrow_screen),
    ('browser console has no SEVERE entries', check_console_clean),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--baton', required=True, help='path to the baton binary')
    harness.add_browser_args(ap)
    args = ap.parse_args()
    return harness.run(
        args, 'baton-gaps-test-',
        lambda tmp: [Server(os.path.abspath(args.baton), write_fixture(tmp), tmp,
                            env={'BATON_EDITOR_TOKEN': EDITOR_TOKEN})],
        lambda driver, base, servers: Page(driver, servers[0]),
        CHECKS)


if __name__ == '__main__':
    sys.exit(main())
