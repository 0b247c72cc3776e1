"""HTTP clients of the SMS providers a salon may use instead of Odoo's IAP.

Each ``send`` returns ``(state, provider_ref, error)`` where state is one of
the states of Odoo's IAP SMS API ('success', 'wrong_number_format',
'insufficient_credit', 'server_error'), so that sms.sms maps it as usual.
"""

import logging

import requests

_logger = logging.getLogger(__name__)

TIMEOUT = 15
SMSRU_URL = "https://sms.ru/sms/send"
# SMS.ru status codes (https://sms.ru/api/send) with a meaning for sms.sms.
SMSRU_ERRORS = {
    201: "insufficient_credit",
    202: "wrong_number_format",
    207: "wrong_number_format",
}
# SMS.ru delivery codes (https://sms.ru/api/status): delivered, and final failures.
SMSRU_DELIVERED = {103}
SMSRU_UNDELIVERED = {104, 105, 106, 107, 108, 150}


class SmsRuGateway:
    """https://sms.ru/sms/send?api_id=...&to=...&msg=...&json=1"""

    def __init__(self, url, api_key, sender=None):
        self.url = url or SMSRU_URL
        self.api_key = api_key
        self.sender = sender

    def send(self, number, text, reference=None, status_url=None):
        params = {
            "api_id": self.api_key or "",
            "to": number.lstrip("+"),
            "msg": text,
            "json": 1,
        }
        if self.sender:
            params["from"] = self.sender
        try:
            response = requests.post(self.url, data=params, timeout=TIMEOUT)
        except requests.RequestException as error:
            return "server_error", None, f"SMS.ru unreachable: {error}"
        data = _json_or_error(response)
        if isinstance(data, str):
            return "server_error", None, data
        if data.get("status") != "OK":
            return self._error(data)
        result = (data.get("sms") or {}).get(params["to"]) or {}
        if result.get("status") != "OK":
            return self._error(result)
        return "success", result.get("sms_id"), None

    @staticmethod
    def _error(data):
        code = data.get("status_code")
        text = data.get("status_text") or "SMS.ru refused the message."
        return SMSRU_ERRORS.get(code, "server_error"), None, f"SMS.ru {code}: {text}"


class WebhookGateway:
    """POST {"to", "text", "sender", "reference", "status_url"} as JSON with
    ``Authorization: Bearer <key>``; a 2xx answer {"id": ...} means accepted,
    any other answer or {"error": ...} a failure."""

    def __init__(self, url, api_key, sender=None):
        self.url = url
        self.api_key = api_key
        self.sender = sender

    def send(self, number, text, reference=None, status_url=None):
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        payload = {
            "to": number,
            "text": text,
            "sender": self.sender or None,
            "reference": reference,
            "status_url": status_url,
        }
        try:
            response = requests.post(
                self.url, json=payload, headers=headers, timeout=TIMEOUT
            )
        except requests.RequestException as error:
            return "server_error", None, f"SMS webhook unreachable: {error}"
        data = _json_or_error(response)
        if isinstance(data, str):
            return "server_error", None, data
        if not response.ok or data.get("error"):
            error = data.get("error") or f"HTTP {response.status_code}"
            state = (
                "wrong_number_format"
                if data.get("code") == "wrong_number"
                else "server_error"
            )
            return state, None, f"SMS webhook: {error}"
        return "success", str(data.get("id") or reference or ""), None


class LogGateway:
    """Test mode: nothing leaves the server. The message is written to the
    server log as a warning (number and text, e.g. a one-time code to try the
    booking page) and counts as sent. Meant for a demo or a trial database
    without an SMS provider, so that Odoo does not try IAP."""

    def __init__(self, url=None, api_key=None, sender=None):
        self.sender = sender

    def send(self, number, text, reference=None, status_url=None):
        _logger.warning("SMS test mode, not sent: to %s: %s", number, text)
        return "success", f"log-{reference or ''}", None


def _json_or_error(response):
    try:
        data = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: the provider did not answer JSON."
    if not isinstance(data, dict):
        return f"HTTP {response.status_code}: unexpected answer."
    return data


GATEWAYS = {"smsru": SmsRuGateway, "webhook": WebhookGateway, "log": LogGateway}


def gateway_for(company):
    """The gateway of ``company`` (sudo record), or None for Odoo's IAP."""
    cls = GATEWAYS.get(company.beauty_sms_provider)
    if not cls:
        return None
    return cls(
        company.beauty_sms_url, company.beauty_sms_api_key, company.beauty_sms_sender
    )
