import logging

from werkzeug.urls import url_join

from odoo import fields, models, tools

from .sms_gateway import gateway_for

_logger = logging.getLogger(__name__)


class SmsSms(models.Model):
    _inherit = "sms.sms"

    beauty_provider_ref = fields.Char("Provider reference", readonly=True, copy=False)
    beauty_error = fields.Char("Provider error", readonly=True, copy=False)

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Send through the company's own SMS gateway when one is set up
        (Salon settings), else through Odoo's IAP as usual. Every SMS of
        Odoo goes this way: salon messages, one-time codes, the chatter."""
        company = self.env.company.sudo()
        gateway = gateway_for(company)
        if not gateway:
            return super()._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        status_url = url_join(
            self[0].get_base_url(),
            f"/beauty/sms/status/{self.env['beauty.message']._beauty_status_token()}",
        )
        results = []
        for sms in self:
            state, reference, error = gateway.send(
                sms.number, sms.body or "", reference=sms.uuid, status_url=status_url
            )
            _logger.info(
                "SMS %s via %s: %s", sms.id, company.beauty_sms_provider, state
            )
            results.append(
                {"uuid": sms.uuid, "state": state, "ref": reference, "error": error}
            )
        self._beauty_apply_results(results, unlink_failed, unlink_sent)

    def _beauty_apply_results(self, results, unlink_failed, unlink_sent):
        """Record the gateway's answers as sms.sms._send records IAP's."""
        all_sms = (
            self.sudo()
            .search([("uuid", "in", [result["uuid"] for result in results])])
            .with_context(sms_skip_msg_notification=True)
        )
        by_uuid = {sms.uuid: sms for sms in all_sms}
        for result in results:
            sms = by_uuid.get(result["uuid"])
            if sms:
                sms.write(
                    {
                        "beauty_provider_ref": result["ref"],
                        "beauty_error": result["error"],
                    }
                )
        for state, group in tools.groupby(results, key=lambda result: result["state"]):
            uuids = {result["uuid"] for result in group}
            sms = all_sms.filtered(lambda s, uuids=uuids: s.uuid in uuids)
            if success := self.IAP_TO_SMS_STATE_SUCCESS.get(state):
                sms.sms_tracker_id._action_update_from_sms_state(success)
                to_delete = {"to_delete": True} if unlink_sent else {}
                sms.write({"state": success, "failure_type": False, **to_delete})
            else:
                failure = self.IAP_TO_SMS_FAILURE_TYPE.get(state, "unknown")
                if failure != "unknown":
                    sms.sms_tracker_id._action_update_from_sms_state(
                        "error", failure_type=failure
                    )
                else:
                    sms.sms_tracker_id._action_update_from_provider_error(state)
                to_delete = {"to_delete": True} if unlink_failed else {}
                sms.write({"state": "error", "failure_type": failure, **to_delete})
        all_sms.mail_message_id._notify_message_notification_update()
