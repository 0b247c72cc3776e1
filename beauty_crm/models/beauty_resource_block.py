from odoo import fields, models

EXCLUSION_CONSTRAINT = "beauty_resource_block_no_overlap"


class BeautyResourceBlock(models.Model):
    """Time during which a specialist or a room is taken by an appointment.

    Written only by the appointments (see beauty.appointment._sync_blocks);
    the exclusion constraint below makes double booking impossible in the
    database, whatever the client (backend, website, RPC) and however many
    transactions run at once.
    """

    _name = "beauty.resource.block"
    _description = "Busy time of a specialist or room"
    _order = "start, id"

    appointment_id = fields.Many2one(
        "beauty.appointment", required=True, ondelete="cascade", index=True
    )
    appointment_line_id = fields.Many2one(
        "beauty.appointment.line",
        "Service",
        ondelete="cascade",
        index=True,
        help="The first service of the appointment that this busy time covers.",
    )
    resource_id = fields.Many2one(
        "resource.resource", required=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [("specialist", "Specialist"), ("room", "Room or device")], required=True
    )
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)
    # Mirrors whether the appointment still holds its time (cancelled and
    # no-show appointments free it); the constraint only covers active rows.
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(related="appointment_id.company_id", store=True)

    _sql_constraints = [
        (
            "stop_after_start",
            "CHECK (stop > start)",
            "A busy time must end after it starts.",
        ),
    ]

    def init(self):
        cr = self.env.cr
        cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        cr.execute(
            "SELECT 1 FROM pg_constraint WHERE conname = %s", [EXCLUSION_CONSTRAINT]
        )
        if not cr.fetchone():
            # Its GiST index also serves the availability search: active rows of
            # a window are found by range, never by scanning the history.
            cr.execute(
                """ALTER TABLE beauty_resource_block
                   ADD CONSTRAINT beauty_resource_block_no_overlap
                   EXCLUDE USING gist (
                       resource_id WITH =, tsrange(start, stop) WITH &&
                   ) WHERE (active)"""
            )
