"""What every headless-Chromium test of Baton shares: the live server, the browser and the check runner.

A test script imports this module first (it re-runs the script under the system Python if Selenium is only
there), lists its checks as (name, function) pairs, each function taking its page object and raising
AssertionError with a message that says what the page showed, and hands them to run(). The output is one line
per check (`ok`, `FAIL` or `skip`) and a last line `N passed, N failed`; the exit status is 1 when a check
failed or none passed. Needs Debian's python3-selenium and chromium-driver; nothing is downloaded.
"""

import json
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
    # cannot see it, so re-run the test script under the system one rather than fail.
    try:
        import selenium  # noqa: F401
        return
    except ImportError:
        pass
    script = os.path.abspath(sys.argv[0])
    if (os.path.exists(SYSTEM_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)
            and not os.environ.get('BATON_BROWSER_TEST_REEXEC')):
        os.environ['BATON_BROWSER_TEST_REEXEC'] = '1'
        sys.stdout.flush()
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, script] + sys.argv[1:])
    print('FAIL setup: python module selenium not found; install Debian packages python3-selenium and '
          'chromium-driver (apt-get install -y python3-selenium chromium chromium-driver)')
    print('0 passed, 1 failed')
    sys.exit(1)


_import_selenium()

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
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
    """The test could not start (no binary, no browser, a server that never got healthy): one failure."""


class Skip(Exception):
    """A check that cannot run in this mode (not a failure)."""


# ---- the server under test ----------------------------------------------------------------------------

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _die_with_parent():
    # If the test is killed outright (a ctest timeout), the server must not outlive it.
    try:
        import ctypes
        libc = ctypes.CDLL('libc.so.6', use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Server:
    """`baton serve ROOT [EXTRA_ROOT...]` with a fresh data dir on a free loopback port.

    env adds variables to the server's environment (tokens: BATON_EDITOR_TOKEN, BATON_READER_TOKEN); name keeps
    the data dir and log of two servers in one temporary folder apart.
    """

    def __init__(self, baton, root, tmp, extra_roots=(), env=None, name='server'):
        self.baton = baton
        self.root = root
        self.extra_roots = list(extra_roots)
        self.tmp = tmp
        self.env = dict(env or {})
        self.name = name
        self.proc = None
        self.log = None
        self.log_path = os.path.join(tmp, name + '.log')
        self.data_dir = os.path.join(tmp, 'data' if name == 'server' else name + '-data')
        self.url = None

    def start(self):
        if not (os.path.isfile(self.baton) and os.access(self.baton, os.X_OK)):
            raise SetupError(f'baton binary not found or not executable: {self.baton}')
        for root in [self.root] + self.extra_roots:
            if not os.path.isdir(root):
                raise SetupError(f'document root not found: {root}')
        os.makedirs(self.data_dir)
        port = free_port()
        self.url = f'http://127.0.0.1:{port}'
        cmd = [self.baton, 'serve', '--data-dir', self.data_dir, '--port', str(port), self.root] + self.extra_roots
        print('starting:', ' '.join(cmd), flush=True)
        self.log = open(self.log_path, 'wb')
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, **self.env), preexec_fn=_die_with_parent)
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

    def request(self, method, path, body=None, token=None):
        """(status, headers, body bytes) of a request; body, if given, is sent as JSON."""
        data = None if body is None else json.dumps(body).encode('utf-8')
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header('Content-Type', 'application/json')
        if token:
            req.add_header('Authorization', 'Bearer ' + token)
        try:
            with _OPENER.open(req, timeout=20) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def get(self, path, token=None):
        """(status, headers, body bytes) of a GET."""
        return self.request('GET', path, token=token)

    def post(self, path, body, token=None):
        """(status, parsed JSON answer) of a POST with a JSON body."""
        status, _, data = self.request('POST', path, body, token)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data.decode('utf-8', 'replace')

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


class BasePage:
    """The driver, the server's base URL and the helpers every page object needs; tests subclass it."""

    def __init__(self, driver, base, server=None):
        self.d = driver
        self.base = base.rstrip('/')
        self.server = server
        self.console = []  # every browser log entry seen so far

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

    def drain_console(self):
        try:
            self.console.extend(self.d.get_log('browser'))
        except WebDriverException:
            pass


# ---- running the checks ----------------------------------------------------------------------------------

def add_browser_args(ap):
    """The options every browser test takes, besides its own."""
    ap.add_argument('--screenshots', help='save a screenshot after each check into this folder')
    ap.add_argument('--chromium', default='/usr/bin/chromium')
    ap.add_argument('--chromedriver', default='/usr/bin/chromedriver')


def run_checks(page, checks, shots):
    """Runs each check once, in order; returns (passed, failed). A check named check_console_clean reads the
    console itself; after every other one the console is drained into page.console."""
    passed = failed = 0
    for n, (name, fn) in enumerate(checks, 1):
        try:
            fn(page)
            passed += 1
            print(f'ok   {name}', flush=True)
        except Skip as e:
            print(f'skip {name}: {e}', flush=True)
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
        if fn.__name__ != 'check_console_clean':
            page.drain_console()
    return passed, failed


def run(args, prefix, make_servers, make_page, checks, base_url=None):
    """The whole test: servers up, Chromium up, the checks, everything down again; returns the exit status.

    make_servers(tmp) lists the Servers to start (not started yet), the first being the one the page talks to;
    make_page(driver, base, servers) builds the page object. With base_url (a server already running) no server
    is started and make_page gets an empty list.
    """
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)

    # ctest sends SIGTERM on timeout: turn it into an exception so the finally below still cleans up.
    def on_term(signum, _frame):
        print(f'FAIL interrupted by signal {signum}; cleaning up', flush=True)
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_term)

    tmp = tempfile.mkdtemp(prefix=prefix)
    servers = []
    driver = None
    passed = failed = 0
    try:
        if base_url:
            base = base_url.rstrip('/')
        else:
            for server in make_servers(tmp):
                servers.append(server)
                server.start()
            base = servers[0].url
        profile = os.path.join(tmp, 'chromium-profile')
        os.makedirs(profile)
        driver = start_browser(args, profile, tmp)
        driver.set_page_load_timeout(WAIT_S)
        passed, failed = run_checks(make_page(driver, base, servers), checks, args.screenshots)
        if failed:
            for server in servers:
                print(f'--- {server.name} log (tail) ---\n' + server.read_log(4000) + '\n---', flush=True)
    except SetupError as e:
        print(f'FAIL setup: {e}', flush=True)
        failed += 1
    finally:
        if driver:
            try:
                driver.quit()
            except Exception:
                pass
        for server in servers:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'{passed} passed, {failed} failed', flush=True)
    return 1 if failed or not passed else 0
