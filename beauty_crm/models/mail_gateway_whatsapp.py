import logging

import requests

from odoo import fields, models

from odoo.addons.base.models.ir_mail_server import MailDeliveryException

_logger = logging.getLogger(__name__)

GRAPH_API = "https://graph.facebook.com"
TIMEOUT = 10


class MailGatewayWhatsapp(models.AbstractModel):
    """OCA's WhatsApp gateway, plus: text messages go to the gateway's API
    server (the official Graph API by default), with Meta's own error text
    (e.g. "(#131047) Re-engagement message": the client has not written in
    24 hours, only an approved template may go) instead of the bare HTTP
    status; and the status webhook's delivered/read reports update the
    salon's delivery log. Media still go through OCA's code."""

    _inherit = "mail.gateway.whatsapp"

    def _send(
        self,
        gateway,
        record,
        auto_commit=False,
        raise_exception=False,
        parse_mode=False,
    ):
        body = self._get_message_body(record)
        if record.mail_message_id.attachment_ids or not body:
            return super()._send(
                gateway,
                record,
                auto_commit=auto_commit,
                raise_exception=raise_exception,
                parse_mode=parse_mode,
            )
        root = gateway._beauty_api_root(GRAPH_API)
        url = (
            f"{root}/v{gateway.whatsapp_version}/{gateway.whatsapp_from_phone}/messages"
        )
        message_id, error = None, None
        try:
            response = requests.post(
                url,
                headers={"Authorization": f"Bearer {gateway.token}"},
                json=self._send_payload(record.gateway_channel_id, body=body),
                timeout=TIMEOUT,
                proxies=self._get_proxies(),
            )
            data = response.json()
            if response.ok:
                message_id = data["messages"][0]["id"]
            else:
                meta = data.get("error") or {}
                error = "WhatsApp {}: {}".format(
                    meta.get("code", response.status_code),
                    meta.get("message") or response.reason,
                )
        except requests.RequestException as exc:
            error = f"WhatsApp unreachable: {exc}"
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            error = "WhatsApp: unexpected answer."
        if error:
            _logger.info("WhatsApp message %s not sent: %s", record.id, error)
            if raise_exception:
                raise MailDeliveryException(
                    self.env._("Unable to send the whatsapp message"), error
                )
            record.sudo().write(
                {
                    "notification_status": "exception",
                    "failure_reason": error,
                    "failure_type": "unknown",
                }
            )
        else:
            record.sudo().write(
                {
                    "notification_status": "sent",
                    "failure_reason": False,
                    "gateway_message_id": message_id,
                }
            )
        if auto_commit is True:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _receive_update(self, gateway, update):
        try:
            with self.env.cr.savepoint():
                self._beauty_statuses(update)
                result = super()._receive_update(gateway, update)
        except (AttributeError, KeyError, TypeError, ValueError):
            _logger.info("WhatsApp update not understood: %s", update)
            return None
        return result

    def _beauty_statuses(self, update):
        """Meta's status webhook: delivered and read mean delivered, failed
        means failed with Meta's error."""
        Message = self.env["beauty.message"].sudo()
        for entry in update.get("entry") or []:
            for change in entry.get("changes") or []:
                for status in (change.get("value") or {}).get("statuses") or []:
                    messages = Message.search(
                        [
                            ("channel", "=", "whatsapp"),
                            ("provider_ref", "=", str(status.get("id"))),
                            ("state", "in", ("sent", "delivered")),
                        ]
                    )
                    if status.get("status") in ("delivered", "read"):
                        messages.filtered(lambda m: m.state == "sent").write(
                            {
                                "state": "delivered",
                                "delivered_at": fields.Datetime.now(),
                            }
                        )
                    elif status.get("status") == "failed":
                        errors = [
                            "[{}] {}".format(
                                error.get("code"),
                                (error.get("error_data") or {}).get("details")
                                or error.get("title"),
                            )
                            for error in status.get("errors") or []
                        ]
                        messages.write(
                            {
                                "state": "failed",
                                "error": "\n".join(errors)
                                or self.env._("Not delivered by WhatsApp."),
                            }
                        )
