from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def action_beauty_compensate(self):
        """Give the client the compensation set on the complaint, once:
        loyalty points on the salon card (booked in its history), or a gift
        card worth the free service's price. Money, so managers only."""
        if not self.env.user.has_group("beauty_crm.group_beauty_manager"):
            raise AccessError(self.env._("Only a salon manager gives a compensation."))
        for ticket in self:
            ticket._beauty_check_compensation()
            if ticket.beauty_compensation_type == "points":
                card, amount = ticket._beauty_compensate_points()
            else:
                card, amount = ticket._beauty_compensate_gift_card()
            ticket.sudo().write(
                {
                    "beauty_compensated_at": fields.Datetime.now(),
                    "beauty_compensation_amount": amount,
                    "beauty_loyalty_card_id": card.id,
                }
            )
            ticket.message_post(body=ticket._beauty_compensation_note(card, amount))
        return True

    def _beauty_check_compensation(self):
        self.ensure_one()
        if self.beauty_compensated_at:
            raise UserError(
                self.env._(
                    "The client was already compensated for %(ticket)s.",
                    ticket=self.display_name,
                )
            )
        if not self.partner_id:
            raise UserError(self.env._("Set the client of the complaint first."))
        if self.beauty_compensation_type == "none":
            raise UserError(self.env._("Choose a compensation first."))
        if (
            self.beauty_compensation_type == "points"
            and self.beauty_compensation_points <= 0
        ):
            raise UserError(self.env._("Set how many points to give."))
        if self.beauty_compensation_type == "gift_card":
            product = self.beauty_compensation_product_id
            if not product:
                raise UserError(self.env._("Choose the free service."))
            if product.lst_price <= 0:
                raise UserError(
                    self.env._(
                        "The service %(service)s has no price.",
                        service=product.display_name,
                    )
                )

    def _beauty_company(self):
        return (
            self.company_id
            or self.beauty_appointment_id.company_id
            or (self.env.company)
        )

    def _beauty_compensate_points(self):
        self.ensure_one()
        card = self.partner_id._beauty_loyalty_card(company=self._beauty_company())
        points = self.beauty_compensation_points
        card.sudo()._beauty_book_points(
            points,
            self.env._("Compensation for complaint %(ticket)s", ticket=self.number),
            "compensation",
            origin=self,
        )
        return card, points

    def _beauty_compensate_gift_card(self):
        self.ensure_one()
        company = self._beauty_company()
        product = self.beauty_compensation_product_id
        amount = company.currency_id.round(product.lst_price)
        program = company._beauty_gift_card_program()
        card = (
            self.env["loyalty.card"]
            .sudo()
            .with_context(loyalty_no_mail=True)
            .create(
                {
                    "program_id": program.id,
                    "partner_id": self.partner_id.commercial_partner_id.id,
                    "points": 0,
                }
            )
        )
        card._beauty_book_points(
            amount,
            self.env._(
                "%(service)s, compensation for complaint %(ticket)s",
                service=product.name,
                ticket=self.number,
            ),
            "compensation",
            origin=self,
        )
        return card, amount

    def _beauty_compensation_note(self, card, amount):
        if self.beauty_compensation_type == "points":
            return self.env._(
                "%(points)s loyalty points put on card %(card)s.",
                points=amount,
                card=card.code,
            )
        return self.env._(
            "Gift card %(card)s worth %(amount)s issued for %(service)s.",
            card=card.code,
            amount=amount,
            service=self.beauty_compensation_product_id.name,
        )
