from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW
from .test_loyalty import LoyaltyCommon

UNTOUCHED = datetime(2020, 1, 1)


@tagged("post_install", "-at_install")
class TestLoyaltyTierCron(LoyaltyCommon):
    def test_daily_cron_writes_only_changed_cards(self):
        silver = self.env["beauty.loyalty.tier"].create(
            {"name": "Silver", "min_yearly_spend": 5000, "discount_percent": 5}
        )
        other = self.env["res.partner"].create(
            {"name": "Old Client", "is_salon_client": True}
        )
        with freeze_time(NOW - timedelta(days=200)):
            self._paid(self._invoice(partner=other))
        with freeze_time(NOW):
            self._paid(self._invoice())
        steady, leaving = self._card(), self._card(other)
        (steady | leaving)._beauty_update_tier(today=NOW.date())
        self.assertEqual((steady | leaving).beauty_tier_id, silver)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loyalty_card SET write_date = %s WHERE id IN %s",
            (UNTOUCHED, tuple((steady | leaving).ids)),
        )
        self.env.invalidate_all()
        # 370 days after the old client's visit, 170 after the other one's.
        with freeze_time(NOW + timedelta(days=170)):
            self.env["loyalty.card"]._cron_beauty_update_tiers()
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(steady.beauty_tier_id, silver)
        self.assertEqual(steady.write_date, UNTOUCHED, "unchanged card not written")
        self.assertFalse(leaving.beauty_tier_id)
        self.assertAlmostEqual(leaving.beauty_yearly_spend, 0)
        self.assertNotEqual(leaving.write_date, UNTOUCHED)
