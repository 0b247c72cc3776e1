from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_messages import NOW, BeautyMessageCommon


@tagged("post_install", "-at_install")
class TestMessageSecurity(BeautyMessageCommon):
    @freeze_time(NOW)
    def test_who_reads_the_delivery_log(self):
        appointment = self._book()
        message = self._messages(appointment, "confirmation")
        as_desk = message.with_user(self.user_receptionist)
        self.assertEqual(as_desk.read(["state"])[0]["state"], "queued")
        self.assertEqual(
            self.guest.with_user(self.user_receptionist).beauty_message_count,
            len(self._messages(appointment)),
        )
        as_desk.action_cancel()
        self.assertEqual(message.state, "cancelled")
        with self.assertRaises(AccessError):
            as_desk.unlink()
        with self.assertRaises(AccessError):
            self.Message.with_user(self.user_receptionist).create(
                {
                    "partner_id": self.guest.id,
                    "company_id": self.company.id,
                    "kind": "birthday",
                    "channel": "email",
                    "scheduled_at": NOW,
                    "dedup_key": "forged",
                }
            )
        for user in (self.user_portal, self.user_employee):
            with self.assertRaises(AccessError):
                message.with_user(user).read(["state"])
            with self.assertRaises(AccessError):
                self.guest.with_user(user).read(["beauty_message_ids"])

    @freeze_time(NOW)
    def test_other_branch_messages_are_hidden(self):
        branch = self.env["res.company"].create({"name": "Other branch"})
        other = self.Message.create(
            {
                "partner_id": self.guest.id,
                "company_id": branch.id,
                "kind": "birthday",
                "channel": "email",
                "scheduled_at": NOW,
                "dedup_key": "other-branch",
            }
        )
        visible = self.Message.with_user(self.user_manager).search(
            [("id", "=", other.id)]
        )
        self.assertFalse(visible)

    def test_sms_key_only_for_administrators(self):
        self.company.sudo().beauty_sms_api_key = "secret"
        with self.assertRaises(AccessError):
            self.company.with_user(self.user_manager).read(["beauty_sms_api_key"])
        self.assertEqual(self.company.sudo().beauty_sms_api_key, "secret")
