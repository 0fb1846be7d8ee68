#!/usr/bin/env python3
"""Headless-Chromium test of Baton's search UI, end to end against a live server.

    python3 tests/browser/search_test.py --baton build/baton --root data/demo
    python3 tests/browser/search_test.py --url http://127.0.0.1:8080      # a server already running

With --baton/--root it indexes ROOT into a fresh data dir, serves it on a free loopback port and stops it again.
Needs Debian's python3-selenium and chromium-driver; nothing is downloaded. The last line is `N passed, N failed`.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

SYSTEM_PYTHON = '/usr/bin/python3'


def _import_selenium():
    # Debian's python3-selenium lives in the system interpreter; a pyenv or venv `python3` first on PATH
    # cannot see it, so re-run this script under the system one rather than fail.
    try:
        import selenium  # noqa: F401
        return
    except ImportError:
        pass
    if (os.path.exists(SYSTEM_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)
            and not os.environ.get('BATON_BROWSER_TEST_REEXEC')):
        os.environ['BATON_BROWSER_TEST_REEXEC'] = '1'
        sys.stdout.flush()
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    print('FAIL setup: python module selenium not found; install Debian packages python3-selenium and '
          'chromium-driver (apt-get install -y python3-selenium chromium chromium-driver)')
    print('0 passed, 1 failed')
    sys.exit(1)


_import_selenium()

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT_S = 20
HEALTH_TIMEOUT_S = 60
CHROMIUM_ARGS = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
    '--no-proxy-server', '--window-size=1280,900', '--lang=zh-CN',
]

# Loopback only: never go through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SetupError(Exception):
    pass


# ---- the server under test ----------------------------------------------------------------------------

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _die_with_parent():
    # If this test is killed outright (a ctest timeout), the server must not outlive it.
    try:
        import ctypes
        libc = ctypes.CDLL('libc.so.6', use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Server:
    def __init__(self, baton, root, tmp):
        self.baton = baton
        self.root = root
        self.tmp = tmp
        self.proc = None
        self.log = None
        self.log_path = os.path.join(tmp, 'server.log')
        self.url = None

    def start(self):
        if not (os.path.isfile(self.baton) and os.access(self.baton, os.X_OK)):
            raise SetupError(f'baton binary not found or not executable: {self.baton}')
        if not os.path.isdir(self.root):
            raise SetupError(f'document root not found: {self.root}')
        data_dir = os.path.join(self.tmp, 'data')
        os.makedirs(data_dir)
        port = free_port()
        self.url = f'http://127.0.0.1:{port}'
        cmd = [self.baton, 'serve', '--data-dir', data_dir, '--port', str(port), self.root]
        print('starting:', ' '.join(cmd), flush=True)
        self.log = open(self.log_path, 'wb')
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent)
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise SetupError(f'baton exited with code {rc} before it was healthy; its log:\n{self.read_log()}')
            try:
                with _OPENER.open(self.url + '/api/health', timeout=2) as r:
                    if r.status == 200:
                        print(f'server healthy at {self.url}', flush=True)
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise SetupError(f'{self.url}/api/health not 200 within {HEALTH_TIMEOUT_S}s; its log:\n'
                                 f'{self.read_log()}')
            time.sleep(0.25)

    def read_log(self, limit=20000):
        try:
            if self.log:
                self.log.flush()
            with open(self.log_path, 'rb') as f:
                data = f.read()
        except OSError:
            return '(no log)'
        text = data.decode('utf-8', 'replace')
        return text if len(text) <= limit else '…' + text[-limit:]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.log:
            self.log.close()
            self.log = None


# ---- the browser ------------------------------------------------------------------------------------

def start_browser(args, profile_dir, log_dir):
    for path, what in ((args.chromedriver, 'chromedriver'), (args.chromium, 'chromium')):
        if not os.path.exists(path):
            raise SetupError(f'{what} not found at {path}; install Debian packages chromium and chromium-driver')
    opts = Options()
    for a in CHROMIUM_ARGS:
        opts.add_argument(a)
    opts.add_argument('--user-data-dir=' + profile_dir)
    opts.binary_location = args.chromium
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    # An explicit driver path keeps Selenium Manager from trying to download one.
    service = Service(executable_path=args.chromedriver, log_path=os.path.join(log_dir, 'chromedriver.log'))
    try:
        return webdriver.Chrome(service=service, options=opts)
    except WebDriverException as e:
        raise SetupError(f'could not start headless Chromium: {e.msg or e}')


class Page:
    """Small helpers over the driver that know the UI's ids and its data-state protocol."""

    def __init__(self, driver, base):
        self.d = driver
        self.base = base.rstrip('/')
        self.console = []  # every browser log entry seen so far

    def open(self, path='/'):
        self.d.get(self.base + path)
        self.wait(lambda d: d.execute_script('return document.readyState') == 'complete', 'page load')
        self.wait(lambda d: d.find_elements(By.ID, 'q'), '#q on the page')

    def wait(self, cond, what, timeout=WAIT_S):
        try:
            return WebDriverWait(self.d, timeout).until(cond)
        except TimeoutException:
            raise AssertionError(f'timed out after {timeout}s waiting for {what}; page says: {self.text()[:400]!r}')

    def text(self):
        try:
            return self.d.execute_script('return document.body ? document.body.innerText : ""') or ''
        except WebDriverException:
            return ''

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

    def wait_doc(self):
        js = "return document.body.dataset.view === 'doc' && document.body.dataset.state !== 'loading'" \
             " ? document.body.dataset.state : null;"
        state = self.wait(lambda d: d.execute_script(js), 'the document view')
        if state == 'error':
            raise AssertionError(f'document view showed an error: {self.d.find_element(By.ID, "doc-error").text!r}')
        return self.wait(lambda d: d.find_element(By.ID, 'doc'), '#doc')

    def drain_console(self):
        try:
            self.console.extend(self.d.get_log('browser'))
        except WebDriverException:
            pass


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
    assert page.d.current_url.endswith(href), f'Enter opened {page.d.current_url}, expected {href}'


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
    ('browser console has no SEVERE entries', check_console_clean),
]


def run_checks(page, shots):
    passed = failed = 0
    for n, (name, fn) in enumerate(CHECKS, 1):
        try:
            fn(page)
            passed += 1
            print(f'ok   {name}', flush=True)
        except AssertionError as e:
            failed += 1
            print(f'FAIL {name}: {e}', flush=True)
        except WebDriverException as e:
            failed += 1
            print(f'FAIL {name}: webdriver error: {e.msg or e}', flush=True)
        except Exception:  # a bug in the test itself still counts as a failure, with its trace
            failed += 1
            print(f'FAIL {name}:\n{traceback.format_exc()}', flush=True)
        if shots:
            try:
                page.d.save_screenshot(os.path.join(shots, f'{n:02d}-{fn.__name__}.png'))
            except WebDriverException:
                pass
        if fn is not check_console_clean:
            page.drain_console()
    return passed, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--baton', help='path to the baton binary')
    ap.add_argument('--root', help='document folder to index and serve')
    ap.add_argument('--url', help='use a server already running at this base URL instead of starting one')
    ap.add_argument('--screenshots', help='save a screenshot after each check into this folder')
    ap.add_argument('--chromium', default='/usr/bin/chromium')
    ap.add_argument('--chromedriver', default='/usr/bin/chromedriver')
    args = ap.parse_args()
    if not args.url and not (args.baton and args.root):
        ap.error('give --baton and --root, or --url')
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)

    # ctest sends SIGTERM on timeout: turn it into an exception so the finally below still cleans up.
    def on_term(signum, _frame):
        print(f'FAIL interrupted by signal {signum}; cleaning up', flush=True)
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_term)

    tmp = tempfile.mkdtemp(prefix='baton-browser-test-')
    server = driver = None
    passed = failed = 0
    try:
        if args.url:
            base = args.url.rstrip('/')
        else:
            server = Server(os.path.abspath(args.baton), os.path.abspath(args.root), tmp)
            server.start()
            base = server.url
        profile = os.path.join(tmp, 'chromium-profile')
        os.makedirs(profile)
        driver = start_browser(args, profile, tmp)
        driver.set_page_load_timeout(WAIT_S)
        passed, failed = run_checks(Page(driver, base), args.screenshots)
        if failed and server:
            print('--- server log (tail) ---\n' + server.read_log(4000) + '\n---', flush=True)
    except SetupError as e:
        print(f'FAIL setup: {e}', flush=True)
        failed += 1
    finally:
        if driver:
            try:
                driver.quit()
            except Exception:
                pass
        if server:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'{passed} passed, {failed} failed', flush=True)
    return 1 if failed or not passed else 0


if __name__ == '__main__':
    sys.exit(main())
