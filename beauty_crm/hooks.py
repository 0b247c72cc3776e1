def pre_init_hook(env):
    """The exclusion constraints on bookings need btree_gist (a trusted
    extension since PostgreSQL 13: the database owner may create it)."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")


def uninstall_hook(env):
    """Materials, lots and stock locations that stock moves refer to are stock
    history, which outlives the addon: keep them as ordinary records rather
    than let the uninstallation try, and fail, to delete them."""
    moves = env["stock.move"].with_context(active_test=False)
    move_lines = env["stock.move.line"].with_context(active_test=False)
    in_history = {
        "product.product": lambda ids: (
            moves.search([("product_id", "in", ids)]).product_id.ids
        ),
        "product.template": lambda ids: (
            moves.search(
                [("product_id.product_tmpl_id", "in", ids)]
            ).product_id.product_tmpl_id.ids
        ),
        "stock.lot": lambda ids: move_lines.search([("lot_id", "in", ids)]).lot_id.ids,
        "stock.location": lambda ids: [
            location_id
            for location_id in ids
            if moves.search_count(
                [
                    "|",
                    ("location_id", "=", location_id),
                    ("location_dest_id", "=", location_id),
                ],
                limit=1,
            )
        ],
    }
    for model, used in in_history.items():
        xmlids = env["ir.model.data"].search(
            [("module", "=", "beauty_crm"), ("model", "=", model)]
        )
        kept = set(used(xmlids.mapped("res_id")))
        xmlids.filtered(lambda xmlid, kept=kept: xmlid.res_id in kept).unlink()
    # The salon itself outlives the addon too once it has a history: its
    # companies (with their books), clients, staff, services and calendars,
    # which invoices, payments and loyalty cards refer to.
    # Their reason for the first visit goes with the addon's tables.
    env.cr.execute(
        "UPDATE res_partner SET visit_reason_id = NULL"
        " WHERE visit_reason_id IS NOT NULL"
    )
    env["ir.model.data"].search(
        [("module", "=", "beauty_crm"), ("model", "in", SALON_MODELS)]
    ).filtered(lambda xmlid: xmlid.name not in SALON_DATA).unlink()


SALON_MODELS = (
    "res.company",
    "res.partner",
    "res.users",
    "hr.employee",
    "product.product",
    "product.template",
    "resource.calendar",
    "resource.resource",
    "loyalty.program",
)
# Records of the addon's own data (not of a salon) that go with it.
SALON_DATA = ("product_cancellation_fee",)
