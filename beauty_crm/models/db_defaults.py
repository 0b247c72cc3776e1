"""Database defaults for the required columns beauty_crm adds to other modules'
tables.

Odoo makes a required stored field NOT NULL in the database but gives the
column no default: the ORM fills it in. When the tests of a module that
beauty_crm extends run while that module is updated (``-u crm``, ``-u
account``...), beauty_crm is not loaded yet, so records of res.company,
product.template... are created by an ORM that does not know these columns,
and PostgreSQL refuses them. A database default equal to the field's
constant default lets those inserts through with the value the ORM would
have written.
"""

from psycopg2 import sql

from odoo import models


def set_column_defaults(model, module="beauty_crm"):
    cr = model.env.cr
    for field in model._fields.values():
        if (
            not field.name.startswith("beauty_")
            or module not in (field._modules or ())
            or not (field.store and field.required and field.column_type)
            or field.compute
            or field.default is None
            or field.type not in ("selection", "char", "integer", "float", "boolean")
        ):
            continue
        value = field.default(model)
        if value is None or value is False and field.type != "boolean":
            continue
        cr.execute(
            sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT %s").format(
                sql.Identifier(model._table), sql.Identifier(field.name)
            ),
            [value],
        )


class ResCompany(models.Model):
    _inherit = "res.company"

    def init(self):
        res = super().init()
        set_column_defaults(self)
        return res


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def init(self):
        res = super().init()
        set_column_defaults(self)
        return res


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def init(self):
        res = super().init()
        set_column_defaults(self)
        return res
