"""Screenshots of the demo salon for the README, taken with headless Chromium.

Serve the demo first (`make demo`, or tools/demo.sh with BEAUTY_DEMO_PORT and
BEAUTY_DEMO_DB), then:

    python3 tools/screenshots.py [--url http://127.0.0.1:8069] [--db beauty_demo]
                                 [--lang en_US ru_RU zh_CN] [--only journal ...]

English shots go to docs/screenshots (README.md), Russian ones to
docs/screenshots/ru and Chinese ones to docs/screenshots/zh_CN (the guides in
docs/). The users' languages are switched for the shots and restored after.
Chinese pages need a CJK font for Chromium (Debian: fonts-wqy-zenhei or
fonts-noto-cjk), else they show empty boxes.
Each page is opened in a fresh Chromium tab with the session cookie of the
user who would look at it (logged in with /web/session/authenticate), waited
for, captured through the DevTools protocol and saved as a palette PNG.
"""

import argparse
import base64
import datetime
import io
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import requests
import websocket
from PIL import Image

# name, login (None: a visitor), path (or a callable giving it), viewport,
# CSS selector to wait for. Website paths get the language's URL prefix.
SHOTS = [
    (
        "journal",
        "reception",
        "/odoo/action-beauty_crm.beauty_appointment_line_action_journal",
        (1440, 860),
        ".vis-item",
    ),
    (
        "client_card",
        "anna",
        lambda s: (
            "/odoo/action-beauty_crm.res_partner_action_salon_client/"
            f"{s.partner_id('Екатерина Смирнова')}"
        ),
        (1440, 900),
        ".alert-danger",
    ),
    (
        "booking_phone",
        None,
        lambda s: (
            f"/booking/slots?service_ids={s.product_id('Чистка лица')}"
            f"&day={next_working_day()}"
        ),
        (390, 844),
        ".o_beauty_slot",
    ),
    ("cabinet", "ekaterina", "/my/appointments", (1280, 800), "table, .o_portal"),
    (
        "report",
        "admin",
        "/odoo/action-beauty_crm.beauty_report_visit_action?view_type=graph",
        (1440, 860),
        "canvas",
    ),
]
PASSWORDS = {"admin": "admin"}
# Per language: where the shots go, the website's URL prefix, the browser's
# language, and who looks at each shot (the Shanghai salon's manager shows
# its journal and report in Chinese; the admin sees both salons' clients).
LANGS = {
    "en_US": {"out": "docs/screenshots", "prefix": "/en", "accept": "en-US"},
    "ru_RU": {"out": "docs/screenshots/ru", "prefix": "/ru", "accept": "ru-RU"},
    "zh_CN": {
        "out": "docs/screenshots/zh_CN",
        "prefix": "/zh_CN",
        "accept": "zh-CN",
        "tz": "Asia/Shanghai",
        "logins": {"journal": "wangli", "client_card": "admin", "report": "wangli"},
    },
}


def next_working_day():
    """Tomorrow, or Monday when tomorrow is the salons' Sunday off: today's
    free times may be over when the shots are taken in the evening."""
    day = datetime.date.today() + datetime.timedelta(days=1)
    return day + datetime.timedelta(days=1) if day.weekday() == 6 else day


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url, db):
        self.url = url.rstrip("/")
        self.db = db
        self.sessions = {}
        self.rpc = self._login("admin")

    def session(self, login):
        """A browser session of ``login``, opened after its language is set."""
        if login not in self.sessions:
            self.sessions[login] = self._login(login)
        return self.sessions[login]

    def _login(self, login):
        http = requests.Session()
        reply = http.post(
            f"{self.url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "db": self.db,
                    "login": login,
                    "password": PASSWORDS.get(login, login),
                },
            },
            timeout=60,
        )
        reply.raise_for_status()
        if reply.json().get("error"):
            raise SystemExit(f"cannot log in as {login}: {reply.json()['error']}")
        return http

    def call(self, model, method, *args, **kwargs):
        reply = self.rpc.post(
            f"{self.url}/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            },
            timeout=60,
        )
        answer = reply.json()
        if answer.get("error"):
            raise SystemExit(f"{model}.{method}: {answer['error']['data']['message']}")
        return answer["result"]

    def user_langs(self, logins):
        users = self.call(
            "res.users", "search_read", [("login", "in", logins)], ["login", "lang"]
        )
        return {user["login"]: user["lang"] for user in users}

    def set_lang(self, langs):
        """Give each login its language; sessions opened later speak it."""
        for login, lang in langs.items():
            ids = self.call("res.users", "search", [("login", "=", login)])
            self.call("res.users", "write", ids, {"lang": lang})
        self.sessions = {}

    def partner_id(self, name):
        return self.call("res.partner", "search", [("name", "=", name)], limit=1)[0]

    def product_id(self, name):
        return self.call("product.product", "search", [("name", "=", name)], limit=1)[0]


class Chromium:
    def __init__(self, accept="ru-RU"):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="beauty_shots_")
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--hide-scrollbars",
                f"--lang={accept}",
                f"--remote-debugging-port={self.port}",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{self.port}/json/version", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)

    def tab(self):
        target = requests.put(
            f"http://127.0.0.1:{self.port}/json/new?about:blank", timeout=10
        ).json()
        return Tab(target)


class Tab:
    def __init__(self, target):
        self.target = target
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"])
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, selector, timeout=60):
        deadline = time.time() + timeout
        expression = f"!!document.querySelector({json.dumps(selector)})"
        while time.time() < deadline:
            found = self.send("Runtime.evaluate", expression=expression)
            if found.get("result", {}).get("value"):
                return True
            time.sleep(0.5)
        return False

    def close(self):
        self.ws.close()


def shoot(chromium, server, shot, out, lang):
    name, login, path, (width, height), selector = shot
    login = lang.get("logins", {}).get(name, login)
    if callable(path):
        path = path(server)
    if not path.startswith("/odoo"):
        path = lang["prefix"] + path
    tab = chromium.tab()
    try:
        tab.send("Network.enable")
        # A visitor has no session (the browser keeps the cookies of
        # the earlier shots).
        tab.send("Network.clearBrowserCookies")
        if login:
            cookie = server.session(login).cookies.get("session_id")
            tab.send(
                "Network.setCookie",
                name="session_id",
                value=cookie,
                url=server.url,
                path="/",
            )
        mobile = width < 600
        # Odoo's web client shows times in the browser's zone: the salon's.
        tab.send(
            "Emulation.setTimezoneOverride",
            timezoneId=lang.get("tz", "Europe/Moscow"),
        )
        tab.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=2 if mobile else 1,
            mobile=mobile,
        )
        tab.send("Page.enable")
        tab.send("Page.navigate", url=server.url + path)
        if not tab.wait_for(selector):
            print(f"{name}: {selector!r} did not appear, capturing anyway")
        time.sleep(2.5)  # animations, lazy pictures, charts
        data = tab.send("Page.captureScreenshot", format="png")["data"]
    finally:
        tab.close()
    image = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
    if mobile:
        image = image.resize((width * 3 // 2, height * 3 // 2), Image.LANCZOS)
    image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    target = os.path.join(out, f"{name}.png")
    image.save(target, optimize=True)
    print(f"{target}: {os.path.getsize(target) // 1024} KB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    port = os.environ.get("BEAUTY_DEMO_PORT", "8069")
    parser.add_argument("--url", default=f"http://127.0.0.1:{port}")
    parser.add_argument("--db", default=os.environ.get("BEAUTY_DEMO_DB", "beauty_demo"))
    parser.add_argument(
        "--lang",
        nargs="*",
        choices=sorted(LANGS),
        default=sorted(LANGS),
        help="languages of the user interface (default: all three)",
    )
    parser.add_argument("--only", nargs="*", help="names of the shots to take")
    args = parser.parse_args()
    server = Server(args.url, args.db)
    shots = [shot for shot in SHOTS if not args.only or shot[0] in args.only]
    for code in args.lang:
        lang = LANGS[code]
        os.makedirs(lang["out"], exist_ok=True)
        logins = {lang.get("logins", {}).get(s[0], s[1]) for s in shots} - {None}
        before = server.user_langs(sorted(logins))
        server.set_lang({login: code for login in before})
        chromium = Chromium(lang["accept"])
        try:
            for shot in shots:
                shoot(chromium, server, shot, lang["out"], lang)
        finally:
            chromium.close()
            server.set_lang(before)


if __name__ == "__main__":
    main()
