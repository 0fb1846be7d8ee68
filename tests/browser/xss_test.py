#!/usr/bin/env python3
"""Headless-Chromium test: documents full of XSS payloads, shown by the real UI, and nothing executes.

    python3 tests/browser/xss_test.py --baton build/baton
    python3 tests/browser/xss_test.py --baton build/baton --screenshots /tmp/xss-shots

It writes a handover folder of its own in every format Baton reads (Markdown, HTML, plain text, CSV, a mail with an
attachment, an mbox, a QQ chat export, a chat CSV, a .docx, an .xlsx) with classic payloads in titles, headings, body
text, file and folder names (clients, projects), authors, chat senders and conversation names, mail subject, sender
and attachment names, link URLs (javascript:, data:), markdown links and images. It serves that folder with `baton
serve` and an editor token and visits every page where the text can appear: results for each format, facets and their
chips, "did you mean", every hit's document (highlighted, also for payload-like queries), the empty-result offer to
post the question, payloads typed into the search box (as filters too) and put in the URL (document ids, filters,
dates), the 交接缺口 report (entities, markers, facts only in mail, references, evidence, and a rename to a payload
through the editor-token form), and the 提问 page with payload questions and answers posted through the API.

Every payload, if it ran, would set window.__xss or document.title, call alert/confirm/prompt (recorded, not shown)
or leave an element with an id starting `xss`. After each page the test asserts that none of that happened, that no
element arrived that the UI never makes (script, iframe, img, svg, on* attributes; a MutationObserver watches from
the first byte), that no link or source holds a javascript:/data: URL, that no `securitypolicyviolation` was reported
(text must be escaped, not merely stopped by the Content-Security-Policy), and that the payload shows as literal
text. Then it visits the read-only pages again with the CSP switched off (DevTools Page.setBypassCSP), where a
payload that got into the page as HTML would really run. Last, a second server with BATON_READER_TOKEN: the token
gate refuses a wrong token and lets the right one search.
Needs Debian's python3-selenium and chromium-driver; nothing is downloaded. The last line is `N passed, N failed`.
"""

import argparse
import base64
import html
import os
import sys
import time
import urllib.parse
import zipfile

import harness  # first: it makes Selenium importable (or re-runs this under the system Python)
from harness import BasePage, Server  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

EDITOR_TOKEN = 'xss-test-editor-token'
READER_TOKEN = 'xss-test-reader-token'

# ---- the payloads ---------------------------------------------------------------------------------------

# Each one, if it ever ran, sets window.__xss to its number, opens a dialog or leaves an element with id xssN.
PAYLOADS = [
    '<script>window.__xss=1</script>',
    '<img src=x id=xss2 onerror=window.__xss=2>',
    '<svg id=xss3 onload=window.__xss=3>',
    '<iframe id=xss4 srcdoc="<script>parent.__xss=4</script>"></iframe>',
    '"\'><img src=x id=xss5 onerror=alert(5)>',  # breaks out of an attribute, either quote
    "{{constructor.constructor('window.__xss=6')()}}",  # template engines
    '<a id=xss7 href="javascript:window.__xss=7">xss7</a>',
    '<details id=xss8 open ontoggle=window.__xss=8>',
    'javascript:window.__xss=9',
    'data:text/html,<script>window.__xss=10</script>',
    '＜script＞window.__xss=11＜/script＞',  # full width: folded for search, never for display
    '&lt;img src=x id=xss12 onerror=window.__xss=12&gt;',  # already escaped once: must not be unescaped twice
    '</mark><img src=x id=xss13 onerror=window.__xss=13><mark>',  # snippets keep <mark>: close it early
    '${window.__xss=14}',
    '<object id=xss15 data="javascript:window.__xss=15"></object>',
    '</textarea><img src=x id=xss16 onerror=confirm(16)>',
    '<scr\u200bipt>window.__xss=17</scr\u200bipt>\u202e',  # zero-width space, right-to-left override
    '<math><mtext><table><mglyph><style><img src=x id=xss18 onerror=prompt(18)>',
    '<body onload=window.__xss=19>',
    '<input id=xss20 autofocus onfocus=window.__xss=20>',
    '<img src=x id=xss21 onerror="document.title=\'XSS\'">',
]
# File and folder names cannot hold '/'; the entity name from a file name turns '_' into ' '.
NAME_IMG = '<img src=x id=xss2 onerror=alert(2)>'
NAME_SVG = '"\'><svg id=xss3 onload=alert(3)>'
NAME_TPL = "{{constructor.constructor('alert(6)')()}}"
# A reference to a document that does not exist (the gap report lists it): 2 to 40 characters.
BOOK_TITLE = '<svg/onload=alert(34)>操作流程'
# A worksheet's name: at most 31 characters, none of : \\ / ? * [ ].
SHEET_NAME = '<img src=x onerror=alert(41)>'
# A chat sender is a name only without '=' and sentence punctuation.
SENDER = '"\'><script>alert(31)</script>'
# All of them, a line each: the body of most fixture documents.
ALL_LINES = '\n'.join(PAYLOADS)
# Markdown decodes an entity outside code: what it reads from PAYLOADS[11] in running text.
PAYLOADS_AS_READ = [html.unescape(p) if p.startswith('&lt;') else p for p in PAYLOADS]

WORD = 'payloadprobe'  # every fixture document holds it
# One word per format: a search for it finds that format's documents.
FORMAT_WORDS = {
    'markdown': 'xssmdword', 'html': 'xsshtmlword', 'text': 'xsstxtword', 'csv': 'xsscsvword',
    'mail': 'xssmailword', 'attachment': 'xssattachword', 'qq chat': 'xssqqword', 'chat csv': 'xsschatcsvword',
    'docx': 'xssdocxword', 'xlsx': 'xssxlsxword', 'mbox': 'xssmboxword', 'client': 'xssclientword',
    'project': 'xssprojectword',
}
# A payload of words nothing holds (a search is any of its words): the empty result echoes it.
ZERO_HIT_PAYLOAD = '"\'><bdo onpointerover=qqzzfn()>qqzzvvxxkk</bdo>'
RENAMED = '<img src=x id=xss30 onerror=window.__xss=30>'
ANSWER_WORD = 'xssanswerword'

# ---- the fixture ----------------------------------------------------------------------------------------


def put(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb' if isinstance(data, bytes) else 'w', **({} if isinstance(data, bytes) else
                                                                  {'encoding': 'utf-8'})) as f:
        f.write(data)


def markdown_doc():
    links = ('[点我](javascript:window.__xss=21) ![图](x" onerror="window.__xss=22) '
             '[数据](data:text/html,<script>window.__xss=23</script>) <javascript:window.__xss=24> '
             '<img src=x id=xss25 onerror=window.__xss=25>')
    return (f'# `{PAYLOADS[1]}` Markdown 标题 {FORMAT_WORDS["markdown"]} {WORD}\n\n'
            '整理：王磊　最后更新：2026-11-20\n\n'
            f'## `{PAYLOADS[4]}` 小节 {WORD}\n\n'
            f'行内：`{PAYLOADS[0]}` 和 {PAYLOADS[11]} 以及 {links}\n\n'
            f'```\n{ALL_LINES}\n```\n\n参见《{BOOK_TITLE}》。\n\n'
            f'## `{PAYLOADS[2]}` 另一节\n\n{FORMAT_WORDS["markdown"]} 的第二节，{WORD}。\n')


def html_doc():
    esc = html.escape
    body = ''.join(f'<p>{esc(p)}</p>\n' for p in PAYLOADS)
    return f'''<!doctype html>
<html><head><meta charset="utf-8"><title>{esc(PAYLOADS[1])} HTML 标题 {FORMAT_WORDS["html"]}</title>
<script>window.__xss=40</script></head>
<body onload="window.__xss=41">
<h1>{esc(PAYLOADS[4])} 一级标题 {WORD}</h1>
<p>{FORMAT_WORDS["html"]} {WORD} <a href="javascript:window.__xss=42">链接</a> <img src=x onerror="window.__xss=43">
<a href="data:text/html,&lt;script&gt;window.__xss=44&lt;/script&gt;">数据链接</a></p>
<h2>{esc(PAYLOADS[2])} 二级标题</h2>
{body}<svg onload="window.__xss=45"></svg><iframe srcdoc="&lt;script&gt;parent.__xss=46&lt;/script&gt;"></iframe>
</body></html>
'''


def csv_doc():
    import csv
    import io
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(['名称', '说明', '链接'])
    for i, p in enumerate(PAYLOADS):
        w.writerow([f'{FORMAT_WORDS["csv"]} {WORD} {i}', p, 'javascript:window.__xss=50'])
    return out.getvalue()


def mail_doc():
    def b64(s):
        return '=?utf-8?b?' + base64.b64encode(s.encode('utf-8')).decode('ascii') + '?='
    subject = f'{PAYLOADS[1]} 邮件主题 {FORMAT_WORDS["mail"]}'
    attachment = f'{NAME_SVG} 附件.txt'
    body = (f'王经理：\n\n{FORMAT_WORDS["mail"]} {WORD}\n{ALL_LINES}\n'
            f'合同 2026-12-31 到期，续约报价 12 万元，{PAYLOADS[1]}。\n\n刘洋\n')
    attached = f'{FORMAT_WORDS["attachment"]} {WORD}\n{ALL_LINES}\n'
    return f'''From: {b64(NAME_TPL + ' ' + PAYLOADS[4])} <liuyang@xss-payload.example>
To: =?utf-8?b?546L56OK?= <wanglei@yunshan-tech.com>
Subject: {b64(subject)}
Date: Thu, 22 Oct 2026 09:30:15 +0800
Message-ID: <xss-1@xss-payload.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

{base64.encodebytes(body.encode('utf-8')).decode('ascii')}
--BOUNDARY
Content-Type: text/plain; charset=UTF-8; name*=UTF-8''{urllib.parse.quote(attachment)}
Content-Disposition: attachment; filename*=UTF-8''{urllib.parse.quote(attachment)}
Content-Transfer-Encoding: base64

{base64.encodebytes(attached.encode('utf-8')).decode('ascii')}
--BOUNDARY--
'''


def qq_doc():
    lines = ['消息记录（此消息记录为文本格式，不支持重新导入）', '', '=' * 64, '消息分组:我的群聊', '=' * 64,
             f'消息对象:{PAYLOADS[1]} 群', '=' * 64, '']
    senders = [f'{SENDER}(10001)', '王磊(10002)']
    for i, p in enumerate(PAYLOADS):
        lines += [f'2026-11-02 10:{i:02d}:00 {senders[i % 2]}', f'{FORMAT_WORDS["qq chat"]} {WORD} {p}', '']
    return '\n'.join(lines)


def chat_csv_doc():
    import csv
    import io
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(['时间', '发送人', '内容', '群名'])
    for i, p in enumerate(PAYLOADS):
        w.writerow([f'2026-11-03 09:{i:02d}:00', SENDER if i % 2 else '王磊',
                    f'{FORMAT_WORDS["chat csv"]} {WORD} {p}', NAME_TPL])
    return out.getvalue()


def docx_doc():
    esc = html.escape

    def para(text, style=None):
        pr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ''
        return f'<w:p>{pr}<w:r><w:t xml:space="preserve">{esc(text)}</w:t></w:r></w:p>'
    w = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
    body = (para(f'{PAYLOADS[1]} Word 标题 {FORMAT_WORDS["docx"]}', 'Heading1')
            + para(f'{FORMAT_WORDS["docx"]} {WORD}') + ''.join(para(p) for p in PAYLOADS)
            + para(f'{PAYLOADS[4]} 二级', 'Heading2') + para(f'{WORD} 第二节'))
    parts = {
        '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
        'core-properties+xml"/></Types>',
        '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/></Relationships>',
        'word/document.xml': f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}'
        '</w:body></w:document>',
        'docProps/core.xml': '<?xml version="1.0" encoding="UTF-8"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        f'<dc:title>{esc(PAYLOADS[1])} Word 标题 {FORMAT_WORDS["docx"]}</dc:title>'
        f'<dc:creator>{esc(NAME_TPL)} " onmouseover="window.__xss=60</dc:creator>'
        '</cp:coreProperties>',
    }
    return zipped(parts)


def zipped(parts):
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def xlsx_doc():
    esc = html.escape
    rows = [[f'{FORMAT_WORDS["xlsx"]} {WORD}', '说明']] + [[f'第 {i} 行', p] for i, p in enumerate(PAYLOADS)]
    cells = ''.join(
        f'<row r="{r + 1}">' + ''.join(f'<c r="{"AB"[c]}{r + 1}" t="inlineStr"><is><t xml:space="preserve">{esc(v)}</t>'
                                       '</is></c>' for c, v in enumerate(row)) + '</row>'
        for r, row in enumerate(rows))
    main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
    rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    return zipped({
        '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        'xl/workbook.xml': f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        f'<sheet name="{esc(SHEET_NAME)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        'xl/worksheets/sheet1.xml': f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
        f'{cells}</sheetData></worksheet>',
    })


def mbox_doc():
    """Two messages: payloads in the subject and sender name of each, and in the bodies."""
    out = []
    for i, p in enumerate((PAYLOADS[2], PAYLOADS[4])):
        body = f'{FORMAT_WORDS["mbox"]} {WORD} {i}\n{ALL_LINES}\n'
        out.append(f'''From xss@xss-mbox.example Thu Oct 22 09:30:15 2026
From: "{p.replace('"', "'")}" <xss{i}@xss-mbox.example>
To: wanglei@yunshan-tech.com
Subject: {p} 归档邮件 {FORMAT_WORDS["mbox"]} {i}
Date: Thu, 22 Oct 2026 09:3{i}:15 +0800
Message-ID: <xss-mbox-{i}@xss-mbox.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

{body}
''')
    return ''.join(out)


def write_fixture(tmp):
    root = os.path.join(tmp, 'handover')
    put(root, '操作手册/xss-markdown.md', markdown_doc())
    put(root, '操作手册/xss-page.html', html_doc())
    put(root, f'记录/{NAME_IMG} 记录.txt', f'{FORMAT_WORDS["text"]} {WORD}\n\n{ALL_LINES}\n'
        f'TODO：{PAYLOADS[2]}\n')
    put(root, '记录/xss-table.csv', csv_doc())
    put(root, '沟通记录/邮件/xss-mail.eml', mail_doc())
    put(root, '沟通记录/聊天/xss-qq.txt', qq_doc())
    put(root, '沟通记录/聊天/xss-chat.csv', chat_csv_doc())
    put(root, '操作手册/xss-word.docx', docx_doc())
    put(root, '记录/xss-sheet.xlsx', xlsx_doc())
    put(root, '沟通记录/邮件/xss-archive.mbox', mbox_doc())
    # A client (from the file name) and a project (from the folder), with markers holding payloads.
    put(root, f'客户/{NAME_IMG}.md', f'''# 客户资料 {FORMAT_WORDS["client"]} {WORD}

整理：王磊　最后更新：2026-11-20

## 联系人

- {FORMAT_WORDS["client"]} {WORD}
- 对接人：张三，每周一上午联系。
- TODO：`{PAYLOADS[1]}` 补上备用联系人
- 待补充：`{PAYLOADS[0]}`
''')
    put(root, f'项目/{NAME_SVG}/计划.md', f'''# 项目计划 {FORMAT_WORDS["project"]} {WORD}

整理：王磊　最后更新：2026-11-20

## 进度

- {FORMAT_WORDS["project"]} {WORD}
- TODO：`{PAYLOADS[4]}`
- 上线时间待定。
''')
    return root


# What each format's document must show as literal text (its title and some of its body).
EXPECTED_TITLE = {
    'markdown': PAYLOADS[1], 'html': PAYLOADS[1], 'text': NAME_IMG, 'mail': PAYLOADS[1], 'attachment': NAME_SVG,
    'qq chat': PAYLOADS[1], 'docx': PAYLOADS[1], 'mbox': PAYLOADS[2],
}
EXPECTED_BODY = {
    'markdown': PAYLOADS + [PAYLOADS_AS_READ[11]], 'html': PAYLOADS, 'text': PAYLOADS, 'csv': PAYLOADS[:3],
    'mail': PAYLOADS, 'attachment': PAYLOADS, 'qq chat': PAYLOADS[:2], 'chat csv': PAYLOADS[:2],
    'docx': PAYLOADS, 'xlsx': [SHEET_NAME] + PAYLOADS[:6], 'mbox': PAYLOADS, 'client': [PAYLOADS[1], PAYLOADS[0]],
    'project': [PAYLOADS[4]],
}

# ---- watching the page ----------------------------------------------------------------------------------

# Runs in every document before the page's own scripts (DevTools: Page.addScriptToEvaluateOnNewDocument).
WATCH_JS = r'''
(() => {
  const rec = window.__rec = {dialogs: [], csp: [], injected: []};
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = function (m) { rec.dialogs.push(name + '(' + String(m) + ')'); return null; };
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    const where = e.target && e.target.outerHTML ? ' in ' + e.target.outerHTML.slice(0, 120) : '';
    rec.csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || '') + (e.sample ? ' ' + e.sample : '') + where);
  }, true);
  const BAD_TAGS = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'img', 'base', 'style',
                            'link', 'meta', 'audio', 'video', 'source', 'portal', 'applet']);
  const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'data', 'srcdoc', 'xlink:href', 'background', 'poster'];
  window.__badness = (e) => {
    const tag = e.localName;
    if (e.id && /^xss/i.test(e.id)) return 'an element with id ' + e.id;
    if (BAD_TAGS.has(tag)) {
      // The page's own: app.js, the style sheet, the icon and the head's meta tags.
      const own = (tag === 'script' && e.getAttribute('src') === '/app.js') ||
                  (tag === 'link' && ['/style.css', '/favicon.svg'].includes(e.getAttribute('href'))) ||
                  (tag === 'meta' && e.parentNode === document.head);
      if (!own) return 'a <' + tag + '> element: ' + e.outerHTML.slice(0, 160);
    }
    for (const a of Array.from(e.attributes || [])) {
      if (/^on/i.test(a.name)) return 'an event handler ' + a.name + '=' + a.value.slice(0, 80) + ' on <' + tag + '>';
      const url = a.value.replace(/[\u0000-\u0020]/g, '');
      if (URL_ATTRS.includes(a.name.toLowerCase()) && /^(javascript|data|vbscript):/i.test(url))
        return 'a ' + a.name + '="' + a.value.slice(0, 80) + '" on <' + tag + '>';
    }
    return '';
  };
  const look = (n) => {
    if (n.nodeType !== 1) return;
    for (const e of [n].concat(Array.from(n.querySelectorAll('*')))) {
      const bad = window.__badness(e);
      if (bad) rec.injected.push(bad);
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'childList') r.addedNodes.forEach(look);
      else if (r.type === 'attributes' && r.target.nodeType === 1) {
        const bad = window.__badness(r.target);
        if (bad) rec.injected.push(bad);
      }
    }
  }).observe(document, {childList: true, subtree: true, attributes: true});
})();
'''

# What the page holds now: flags, records, and a scan of the DOM as it stands.
STATE_JS = r'''
const rec = window.__rec || {dialogs: [], csp: [], injected: ['the watcher did not run in this document']};
const now = [];
for (const e of Array.from(document.querySelectorAll('*'))) {
  const bad = window.__badness ? window.__badness(e) : '';
  if (bad) now.push(bad);
}
const links = [];
for (const a of Array.from(document.querySelectorAll('a[href], area[href]'))) {
  let proto = '';
  try { proto = new URL(a.href, location.href).protocol; } catch (err) { proto = 'unparsable'; }
  if (!['http:', 'https:'].includes(proto)) links.push(proto + ' ' + a.getAttribute('href').slice(0, 100));
}
return {xss: typeof window.__xss === 'undefined' ? null : String(window.__xss), title: document.title,
        dialogs: rec.dialogs, csp: rec.csp, injected: rec.injected, now, links};
'''


class Page(BasePage):
    """The driver, the server and the waits of the UI's data-state protocol, plus the XSS watch."""

    def __init__(self, driver, server, gated=None):
        super().__init__(driver, server.url, server)
        self.gated = gated  # the second server, which needs a reader token
        self.visited = []
        driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': WATCH_JS})

    def open(self, hash_, base=None):
        # A fresh document each time: flags and records start empty.
        self.d.get('about:blank')
        self.d.get((base or self.base) + '/' + hash_)
        self.wait(lambda d: d.execute_script('return document.readyState') == 'complete', 'page load')

    def state_done(self, view):
        js = ("const s = document.body.dataset.state; if (document.body.dataset.view !== arguments[0]"
              " || s === 'loading') return null; return s;")
        st = self.wait(lambda d: d.execute_script(js, view), f'the {view} view')
        if st == 'error':
            raise AssertionError(f'the {view} view shows an error: {self.text()[:300]!r}')

    def wait_search(self, q):
        js = ("const r = document.getElementById('results'); const s = document.body.dataset.state;"
              "return r && r.dataset.q === arguments[0] && s !== 'loading' && document.body.dataset.view === 'search'"
              " ? s : null;")
        st = self.wait(lambda d: d.execute_script(js, q), f'results for {q!r}')
        if st == 'error':
            raise AssertionError(f'search {q!r} showed an error: {self.d.find_element(By.ID, "error").text!r}')
        return self.d.find_elements(By.CSS_SELECTOR, '#results .hit')

    def wait_rendered(self, what):
        js = ("const r = document.getElementById('results'); const s = document.body.dataset.state;"
              "return r && r.dataset.hash === location.hash && s !== 'loading'"
              " && document.body.dataset.view === 'search' ? s : null;")
        if self.wait(lambda d: d.execute_script(js), what) == 'error':
            raise AssertionError(f'{what} showed an error: {self.d.find_element(By.ID, "error").text!r}')

    def search_url(self, q):
        self.open('#/search?q=' + urllib.parse.quote(q))
        return self.wait_search(q)

    def assert_clean(self, where):
        """Nothing ran, nothing was injected, no link to javascript:/data:, no CSP violation."""
        time.sleep(0.2)  # an onerror or onload fires a moment after the element arrives
        s = self.d.execute_script(STATE_JS)
        problems = []
        if s['xss'] is not None:
            problems.append(f'payload {s["xss"]} ran (window.__xss = {s["xss"]})')
        if s['title'] == 'XSS':
            problems.append(f'document.title was set to {s["title"]!r}')
        problems += [f'a dialog opened: {x}' for x in s['dialogs']]
        problems += [f'CSP violation (something tried to run; it must be escaped, not blocked): {x}'
                     for x in dict.fromkeys(s['csp'])]
        problems += [f'injected while rendering: {x}' for x in dict.fromkeys(s['injected'])]
        problems += [f'in the page now: {x}' for x in dict.fromkeys(s['now'])]
        problems += [f'a link to {x}' for x in s['links']]
        self.visited.append(where)
        if problems:
            raise AssertionError(f'{where}: ' + '; '.join(problems[:8]) + (f' (and {len(problems) - 8} more)'
                                                                          if len(problems) > 8 else ''))

    def assert_shows(self, texts, where, selector='body'):
        """Each text is on the page as literal text (inside selector)."""
        shown = self.d.execute_script(
            "const n = document.querySelector(arguments[0]); return n ? n.innerText : '';", selector)
        missing = [t for t in texts if t not in shown]
        if missing:
            raise AssertionError(f'{where}: not shown as text: {missing[:4]}; {selector} reads {shown[:600]!r}')


# ---- checks: each takes the Page and raises AssertionError ----------------------------------------------

def hit_links(page):
    """(href, title) of every hit and every folded match on the results page."""
    return page.d.execute_script(
        "return [...document.querySelectorAll('#results .hit-title, #results .more-link')]"
        ".map(a => [a.getAttribute('href'), a.textContent]);")


def check_results_each_format(page):
    for fmt, word in FORMAT_WORDS.items():
        hits = page.search_url(word)
        assert hits, f'no result for {word} (the {fmt} document); page says {page.text()[:300]!r}'
        page.assert_clean(f'results for {word} ({fmt})')
        if fmt in EXPECTED_TITLE:
            titles = [t for _, t in hit_links(page)]
            assert any(EXPECTED_TITLE[fmt] in t for t in titles), \
                f'the {fmt} title {EXPECTED_TITLE[fmt]!r} is not among the hit titles {titles}'
        odd = page.d.execute_script(
            "return [...document.querySelectorAll('#results .snippet *')].filter(e => e.tagName !== 'MARK')"
            ".map(e => e.outerHTML.slice(0, 100));")
        assert not odd, f'results for {word}: a snippet holds more than <mark>: {odd}'


def check_documents(page):
    opened = 0
    for fmt, word in FORMAT_WORDS.items():
        page.search_url(word)
        links = [h for h, _ in hit_links(page)]
        assert links, f'no hit links for {word}'
        for href in dict.fromkeys(links):
            page.open(href)
            page.state_done('doc')
            opened += 1
            page.assert_clean(f'document {href} ({fmt})')
        # The first hit again, whole, with every payload shown as text.
        page.open(links[0].split('?')[0] + '?q=' + urllib.parse.quote(word))
        page.state_done('doc')
        page.assert_shows(EXPECTED_BODY[fmt], f'the {fmt} document', '#doc')
        page.assert_clean(f'the {fmt} document')
        marks = page.d.execute_script("return [...document.querySelectorAll('#doc mark')].length")
        assert marks, f'the {fmt} document opened with q={word} highlights nothing'
        odd = page.d.execute_script(
            "return [...document.querySelectorAll('#doc .section-text *')].filter(e => e.tagName !== 'MARK')"
            ".map(e => e.outerHTML.slice(0, 100));")
        assert odd == [], f'the {fmt} document: section text holds more than <mark>: {odd}'
    assert opened >= len(FORMAT_WORDS), f'only {opened} documents opened'


def check_highlight_payload_queries(page):
    page.search_url(FORMAT_WORDS['text'])
    href = hit_links(page)[0][0].split('?')[0]
    for q in ['script img onerror', PAYLOADS[1], PAYLOADS[0], 'xss13 mark', '"\'><', '＜script＞']:
        page.open(href + '?q=' + urllib.parse.quote(q))
        page.state_done('doc')
        page.assert_clean(f'the text document highlighted for {q!r}')
        page.assert_shows(PAYLOADS, f'the text document highlighted for {q!r}', '#doc')
        hits = page.search_url(q)
        page.assert_clean(f'results for the payload {q!r}')
        if q == 'script img onerror':
            assert hits, f'{q!r} finds nothing'
            marks = page.d.execute_script("return [...document.querySelectorAll('#results mark')]"
                                          ".map(m => m.textContent)")
            assert any(m.lower() in ('script', 'img', 'onerror') for m in marks), f'marks for {q!r}: {marks}'


def check_facets_and_chips(page):
    page.search_url(WORD)
    page.d.execute_script("document.querySelectorAll('#facets .facet-more').forEach(b => b.click());")
    labels = page.d.execute_script(
        "return [...document.querySelectorAll('#facets .facet-value')].map(a => [a.closest('.facet').dataset.facet,"
        " a.dataset.value, a.querySelector('.facet-label').textContent]);")
    page.assert_clean('results for every fixture document, with the facets')
    clients = [v for f, v, _ in labels if f == 'client']
    projects = [v for f, v, _ in labels if f == 'project']
    authors = [v for f, v, _ in labels if f == 'author']
    assert NAME_IMG in clients, f'the client {NAME_IMG!r} (a file name) is not a facet value: {clients}'
    assert NAME_SVG in projects, f'the project {NAME_SVG!r} (a folder name) is not a facet value: {projects}'
    assert any(NAME_TPL in a for a in authors), f'no author facet holds {NAME_TPL!r}: {authors}'
    for facet, value in (('client', NAME_IMG), ('project', NAME_SVG)):
        assert any(f == facet and v == value and t == value for f, v, t in labels), \
            f'the {facet} facet does not show {value!r} as it is: {labels}'
    for facet, value in (('client', NAME_IMG), ('project', NAME_SVG),
                         ('author', next(a for a in authors if NAME_TPL in a))):
        page.search_url(WORD)
        page.d.execute_script("document.querySelectorAll('#facets .facet-more').forEach(b => b.click());")
        link = page.d.execute_script(
            "return [...document.querySelectorAll('#facets .facet[data-facet=\"' + arguments[0] + '\"] .facet-value')]"
            ".find(a => a.dataset.value === arguments[1]) || null;", facet, value)
        assert link, f'no {facet} facet link for {value!r}'
        page.d.execute_script("arguments[0].click();", link)
        page.wait_rendered(f'the {facet} facet {value!r}')
        hits = page.d.find_elements(By.CSS_SELECTOR, '#results .hit')
        assert hits, f'the {facet} filter {value!r} finds nothing'
        page.assert_shows([value], f'the {facet} chip', '#chips')
        page.assert_clean(f'results filtered by {facet} {value!r}')
        # Reload: the filter comes back from the URL.
        page.d.refresh()
        page.wait_rendered(f'the reloaded {facet} filter')
        page.assert_shows([value], f'the {facet} chip after a reload', '#chips')
        page.assert_clean(f'results filtered by {facet} {value!r}, reloaded')


def check_did_you_mean(page):
    q = 'payloadprobr ' + PAYLOADS[1]
    page.search_url(q)
    box = page.wait(lambda d: d.find_element(By.ID, 'suggestion') if d.find_element(By.ID, 'suggestion')
                    .is_displayed() else None, f'a "did you mean" suggestion for {q!r}', timeout=5)
    link = box.find_element(By.ID, 'suggestion-link')
    suggestion = link.get_attribute('textContent')
    assert WORD in suggestion, f'the suggestion reads {suggestion!r}'
    page.assert_clean('the "did you mean" suggestion')
    link.click()
    page.wait_rendered('the suggested search')
    page.assert_clean('the suggested search')


def check_empty_offer(page):
    q = ZERO_HIT_PAYLOAD
    hits = page.search_url(q)
    assert not hits, f'{q!r} found something'
    page.assert_shows([q], 'the empty result', '#empty-slot')
    page.assert_clean('the empty result for a payload')
    link = page.wait(lambda d: d.find_element(By.ID, 'ask-team'), 'the offer to ask the team')
    href = link.get_attribute('href')
    assert '#/questions?q=' in href, f'the offer links to {href}'
    link.click()
    page.state_done('questions')
    value = page.d.find_element(By.ID, 'ask-q').get_attribute('value')
    assert value == q, f'the question box holds {value!r}, expected {q!r}'
    page.assert_clean('the questions page opened from the empty result')


def check_typed_into_box(page):
    page.open('#/')
    page.wait(lambda d: d.find_elements(By.ID, 'q'), '#q')
    typed_client = NAME_IMG.replace(' ', '/')
    for q, chip in [(PAYLOADS[0], None), (PAYLOADS[4] + ' ' + WORD, None), (PAYLOADS[16], None), (PAYLOADS[10], None),
                    (f'client:{typed_client} {WORD}', typed_client), (f'author:"{PAYLOADS[5]}"', PAYLOADS[5]),
                    (f'project:{ZERO_HIT_PAYLOAD}', None)]:
        box = page.d.find_element(By.ID, 'q')
        box.clear()
        if q.isascii():
            box.send_keys(q)
        else:  # ChromeDriver's keys drop zero-width and some wide characters
            page.d.execute_script("arguments[0].value = arguments[1];", box, q)
        box.send_keys(Keys.ENTER)
        page.wait_search(q)
        page.assert_clean(f'the query {q!r} typed into the box')
        value = box.get_attribute('value')
        assert value == q, f'the box holds {value!r} after searching {q!r}'
        if chip:
            chips = page.d.execute_script(
                "return [...document.querySelectorAll('#chips .chip-value')].map(c => c.textContent)")
            assert chip in chips, f'the typed filter in {q!r} is not a chip showing {chip!r}: {chips}'


def check_gaps(page):
    # The search log is written in the background: wait for the empty payload search to reach the report.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        _, _, body = page.server.get('/api/gaps')
        if ZERO_HIT_PAYLOAD in body.decode('utf-8'):
            break
        time.sleep(0.25)
    page.open('#/gaps')
    page.state_done('gaps')
    page.d.execute_script("document.querySelectorAll('#gaps .area-row').forEach(b => b.click());"
                          "document.querySelectorAll('#gaps details').forEach(d => d.open = true);")
    page.assert_clean('the 交接缺口 report with every area open')
    text = page.d.execute_script("return document.getElementById('gaps').innerText")
    # The client (a file name), markers, a fact only in a mail, a reference to a missing document.
    for part in (NAME_IMG, PAYLOADS[1], PAYLOADS[0], PAYLOADS[4], PAYLOADS[2], '续约报价 12 万元，' + PAYLOADS[1],
                 BOOK_TITLE):
        assert part in text, f'the gap report does not show {part!r} as text'
    assert '<svg id=xss3 onload=alert(3)>' in text, 'the project from a folder name is not shown as text'
    demand = page.d.execute_script("const g = document.getElementById('group-demand'); return g ? g.innerText : ''")
    assert ZERO_HIT_PAYLOAD in demand, f'the payload search that found nothing is not listed as text: {demand[:400]!r}'
    # Every link of the report opens; each page is clean.
    links = page.d.execute_script("return [...new Set([...document.querySelectorAll('#gaps a[href^=\"#/doc/\"]')]"
                                  ".map(a => a.getAttribute('href')))];")
    assert links, 'the report links to no document'
    for href in links[:12]:
        page.open(href)
        page.state_done('doc')
        page.assert_clean(f'evidence {href} from the report')


def check_payloads_in_the_url(page):
    quote = urllib.parse.quote
    for hash_, view in [('#/doc/' + quote(PAYLOADS[1]), 'doc'),
                        ('#/doc/' + quote(PAYLOADS[4], safe='') + '?q=' + quote(PAYLOADS[0]), 'doc'),
                        ('#/questions?q=' + quote(PAYLOADS[1]), 'questions'),
                        ('#/questions?status=' + quote(PAYLOADS[2]), 'questions'),
                        ('#/gaps?as_of=' + quote(PAYLOADS[2]), 'gaps'),
                        ('#/search?q=' + WORD + '&kind=' + quote(PAYLOADS[1]), 'search'),
                        ('#/search?q=' + WORD + '&sort=' + quote(PAYLOADS[4]), 'search'),
                        ('#/' + quote(PAYLOADS[0]), None)]:
        page.open(hash_)
        if view:
            page.wait(lambda d: d.execute_script(
                "return document.body.dataset.view === arguments[0] && document.body.dataset.state !== 'loading'",
                view), f'the {view} view for {hash_}')
        else:
            time.sleep(0.5)
        page.assert_clean(f'the URL {hash_}')


def check_gaps_rename(page):
    page.open('#/gaps')
    page.state_done('gaps')
    page.d.execute_script("sessionStorage.clear();")
    row = page.d.execute_script("return [...document.querySelectorAll('#gaps .ent')].find(r => r.querySelector("
                                "'.ent-name').textContent.includes('id=xss2')) || null;")
    assert row, 'no entity row for the client named by a payload'
    key = row.get_attribute('data-key')
    page.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", row)
    row.find_element(By.CSS_SELECTOR, '.act-rename').click()
    field = page.wait(lambda d: row.find_element(By.CSS_SELECTOR, '.ent-panel input'), 'the rename field')
    field.clear()
    page.d.execute_script("arguments[0].value = arguments[1];", field, RENAMED)
    field.send_keys(Keys.ENTER)
    token = page.wait(lambda d: d.find_element(By.CSS_SELECTOR, '.ent-panel input[type=password]'), 'the token form')
    token.send_keys(EDITOR_TOKEN, Keys.ENTER)
    page.wait(lambda d: d.execute_script(
        "const r = [...document.querySelectorAll('#gaps .ent')].find(r => r.dataset.key === arguments[0]);"
        " return r && r.querySelector('.ent-name').textContent === arguments[1] &&"
        " document.body.dataset.state === 'done';", key, RENAMED), 'the payload name after the rename')
    page.assert_clean('the report after renaming a client to a payload')
    page.open('#/gaps')
    page.state_done('gaps')
    page.assert_shows([RENAMED], 'the renamed client after a reload', '#gaps')
    page.assert_clean('the report with the renamed client, reloaded')


def post_questions(page):
    """Questions, askers, an answer, its author and links full of payloads, through the API."""
    ids = []
    for i, p in enumerate(PAYLOADS):
        status, q = page.server.post('/api/questions', {'question': f'问题 {i} {p}', 'asker': p})
        assert status in (200, 201), f'asking {p!r} answered {status}: {q}'
        ids.append(q['id'])
    links = ['https://example.com/ok', 'javascript:window.__xss=70', 'data:text/html,<script>window.__xss=71</script>',
             'https://x.example/"><img src=x id=xss72 onerror=window.__xss=72>', ' javascript:window.__xss=73',
             'JaVaScRiPt:window.__xss=74', 'java\tscript:window.__xss=75']
    status, a = page.server.post(f'/api/questions/{ids[1]}/answer', {
        'answer': f'{ANSWER_WORD} {ALL_LINES}', 'answered_by': PAYLOADS[4], 'links': links}, token=EDITOR_TOKEN)
    assert status == 200, f'answering answered {status}: {a}'
    status, c = page.server.post(f'/api/questions/{ids[2]}/close', {}, token=EDITOR_TOKEN)
    assert status == 200, f'closing answered {status}: {c}'
    return ids


def check_questions(page):
    post_questions(page)
    for status in ('open', 'answered', 'closed', 'all'):
        page.open(f'#/questions?status={status}')
        page.state_done('questions')
        page.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '#question-list .question'), f'{status} questions')
        page.d.execute_script("document.querySelectorAll('#questions details').forEach(d => d.open = true);")
        page.assert_clean(f'the 提问 page, {status}')
    page.assert_shows(PAYLOADS[:2] + [PAYLOADS[4], ANSWER_WORD], 'the 提问 page, all', '#questions')
    hrefs = page.d.execute_script("return [...document.querySelectorAll('#questions .q-links a')]"
                                  ".map(a => a.getAttribute('href'));")
    assert 'https://example.com/ok' in hrefs, f'the https link is not a link: {hrefs}'
    assert all(h.startswith('https://') for h in hrefs), f'links on the 提问 page: {hrefs}'
    # Asking on the page: the suggestions are snippets of the payload documents.
    page.open('#/questions')
    page.state_done('questions')
    box = page.d.find_element(By.ID, 'ask-q')
    page.d.execute_script("arguments[0].value = arguments[1];", box, f'{WORD} {PAYLOADS[1]}')
    name = page.d.find_element(By.ID, 'ask-name')
    page.d.execute_script("arguments[0].value = arguments[1];", name, SENDER)
    page.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", page.d.find_element(By.ID, 'ask-submit'))
    page.d.find_element(By.ID, 'ask-submit').click()
    done = page.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '#ask-result .ask-done'),
                     'the reply to the question')[0]
    assert done.find_elements(By.CSS_SELECTOR, '.q-sugg'), f'no suggested answers: {done.text!r}'
    page.assert_shows([PAYLOADS[1]], 'the reply to a payload question', '#ask-result')
    page.assert_clean('the reply to a payload question, with suggestions')
    # The answer is searchable: its hit and its document.
    hits = page.search_url(ANSWER_WORD)
    assert hits, f'{ANSWER_WORD} (the answer) finds nothing'
    page.assert_clean('the answer in the results')
    page.open(hit_links(page)[0][0])
    page.state_done('doc')
    page.assert_shows(PAYLOADS[:3], 'the answer document', '#doc')
    page.assert_clean('the answer document')


def check_again_without_csp(page):
    """The read-only pages once more with the CSP switched off: escaped text cannot run even unprotected."""
    page.d.execute_cdp_cmd('Page.setBypassCSP', {'enabled': True})
    try:
        before = len(page.visited)
        for fn in (check_results_each_format, check_documents, check_highlight_payload_queries,
                   check_facets_and_chips, check_did_you_mean, check_empty_offer, check_typed_into_box,
                   check_payloads_in_the_url):
            fn(page)
        page.open('#/gaps')
        page.state_done('gaps')
        page.d.execute_script("document.querySelectorAll('#gaps .area-row').forEach(b => b.click());"
                              "document.querySelectorAll('#gaps details').forEach(d => d.open = true);")
        page.assert_clean('the 交接缺口 report without the CSP')
        page.open('#/questions?status=all')
        page.state_done('questions')
        page.assert_clean('the 提问 page without the CSP')
        print(f'     {len(page.visited) - before} pages without the CSP, all clean', flush=True)
    finally:
        page.d.execute_cdp_cmd('Page.setBypassCSP', {'enabled': False})


def check_token_gate(page):
    base = page.gated.url
    page.open('#/', base)
    page.d.execute_script("sessionStorage.clear();")
    page.open('#/search?q=' + WORD, base)
    gate = page.wait(lambda d: d.find_element(By.ID, 'token-gate') if d.find_element(By.ID, 'token-gate')
                     .is_displayed() else None, 'the token gate')
    why = page.d.find_element(By.ID, 'token-gate-why').text
    assert '需要访问口令' in why, f'the gate says {why!r}'
    assert not page.d.find_elements(By.CSS_SELECTOR, '#results .hit'), 'results shown behind the gate'
    field = page.d.find_element(By.ID, 'token-gate-input')
    assert page.d.switch_to.active_element == field, 'the token field does not have the focus'
    field.send_keys('not-the-reader-token', Keys.ENTER)
    page.wait(lambda d: gate.is_displayed() and '不对' in d.find_element(By.ID, 'token-gate-why').text,
              'the gate to refuse the wrong token with a message')
    assert not page.d.execute_script("return sessionStorage.getItem('baton.editorToken')"), 'a refused token is kept'
    page.d.find_element(By.ID, 'token-gate-input').send_keys(READER_TOKEN, Keys.ENTER)
    page.wait(lambda d: not gate.is_displayed(), 'the gate to close on the right token')
    hits = page.wait_search(WORD)
    assert hits, f'no results behind the gate after the right token: {page.text()[:300]!r}'
    page.assert_clean('results on the gated server')
    # The token is kept for the tab: a reload needs no gate.
    q = FORMAT_WORDS['markdown']
    page.open('#/search?q=' + q, base)
    hits = page.wait_search(q)
    assert hits, f'no results for {q} after a reload behind the gate'
    assert not page.d.find_element(By.ID, 'token-gate').is_displayed(), 'the gate came back after a reload'
    page.assert_clean('results on the gated server, reloaded')


def check_console_clean(page):
    print(f'     {len(page.visited)} page states checked in all', flush=True)
    page.drain_console()
    severe = [e for e in page.console if e.get('level') == 'SEVERE']
    # Expected: API answers to refused tokens (401) and to payloads in the URL (400, 404), and a missing favicon.
    # A request for /x would mean an injected <img src=x>: not excused.
    def expected(m):
        return 'Failed to load resource' in m and ('favicon' in m or (
            '/api/' in m and any(f'status of {c} ' in m for c in (400, 401, 404))))
    noise = [e for e in severe if expected(str(e.get('message')))]
    severe = [e for e in severe if e not in noise]
    assert not severe, 'SEVERE browser console entries:\n  ' + '\n  '.join(str(e.get('message')) for e in severe)


CHECKS = [
    ('results for each format: titles as text, snippets only <mark>', check_results_each_format),
    ('every hit opens; each document shows its payloads as text, highlighted', check_documents),
    ('payload-like queries highlight as text', check_highlight_payload_queries),
    ('client, project and author facets and their chips', check_facets_and_chips),
    ('"did you mean" for a payload query', check_did_you_mean),
    ('the empty result and its offer to post the question', check_empty_offer),
    ('payloads typed into the search box (and as filters)', check_typed_into_box),
    ('交接缺口: entities, markers, file names and evidence', check_gaps),
    ('payloads in the URL: document ids, filters, dates, statuses', check_payloads_in_the_url),
    ('交接缺口: rename a client to a payload with the editor-token form', check_gaps_rename),
    ('提问: questions, askers, answers and links with payloads', check_questions),
    ('the read-only pages again with the CSP switched off', check_again_without_csp),
    ('the reader-token gate refuses a wrong token and admits the right one', check_token_gate),
    ('browser console has no SEVERE entries', check_console_clean),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--baton', required=True, help='path to the baton binary')
    harness.add_browser_args(ap)
    args = ap.parse_args()
    baton = os.path.abspath(args.baton)

    def servers(tmp):
        root = write_fixture(tmp)
        return [Server(baton, root, tmp, env={'BATON_EDITOR_TOKEN': EDITOR_TOKEN}),
                Server(baton, root, tmp, env={'BATON_READER_TOKEN': READER_TOKEN}, name='gated')]
    return harness.run(args, 'baton-xss-test-', servers,
                       lambda driver, base, started: Page(driver, started[0], started[1]), CHECKS)


if __name__ == '__main__':
    sys.exit(main())
