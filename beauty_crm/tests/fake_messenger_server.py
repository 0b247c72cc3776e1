"""A fake Telegram Bot API and WhatsApp Cloud API on a real local socket:
python-telegram-bot and the WhatsApp gateway talk HTTP to it as to the real
servers. It records each request; a test queues failures per method."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT_TOKEN = "123456:TEST-bot-token"


def telegram_error(code, description):
    return code, {"ok": False, "error_code": code, "description": description}


class FakeMessengerServer:
    def __init__(self):
        self.requests = []
        # Telegram method or "whatsapp" -> list of (status, answer) to give first.
        self.failures = {}
        self.sent_ids = iter(range(1001, 10**6))
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if "json" in self.headers.get("Content-Type", ""):
                    body = json.loads(raw or "{}")
                else:
                    body = {key: values[0] for key, values in parse_qs(raw).items()}
                status, answer = owner._answer(self.path, body)
                owner.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _answer(self, path, body):
        method = "whatsapp" if "/messages" in path else path.rsplit("/", 1)[-1]
        queued = self.failures.get(method)
        if queued:
            return queued.pop(0)
        if method == "whatsapp":
            return 200, {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                "messages": [{"id": f"wamid.TEST{next(self.sent_ids)}"}],
            }
        chat = {"id": int(body.get("chat_id") or 0), "type": "private"}
        results = {
            "getMe": {
                "id": 42,
                "is_bot": True,
                "first_name": "Salon",
                "username": "SalonTestBot",
            },
            "getChat": dict(
                chat,
                first_name="Masha",
                accent_color_id=0,
                max_reaction_count=11,
                accepted_gift_types={
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            ),
            "sendMessage": {
                "message_id": next(self.sent_ids),
                "date": int(time.time()),
                "chat": chat,
                "text": body.get("text"),
            },
        }
        return 200, {"ok": True, "result": results.get(method, True)}

    def calls(self, method):
        return [
            request["body"]
            for request in self.requests
            if request["path"].endswith("/" + method)
        ]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
