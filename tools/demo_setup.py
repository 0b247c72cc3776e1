# Run once by tools/demo.sh through `odoo shell` (``env`` is given) after the
# demo database is created: the salon's website speaks Russian (its default),
# Chinese and English, the Moscow staff work in Russian, and both salons
# use the SMS test mode (each SMS, one-time codes included, is written to the
# server log instead of being sent), since a demo has no SMS provider. Kept out
# of the demo data so that tests and Odoo's own suites see Odoo's defaults.
# ruff: noqa: F821

langs = env["res.lang"].search([("code", "in", ("en_US", "ru_RU", "zh_CN"))])
website = env["website"].search([("company_id", "=", env.ref("base.main_company").id)])
website[:1].write(
    {"language_ids": [(6, 0, langs.ids)], "default_lang_id": env.ref("base.lang_ru").id}
)
for login in ("admin", "reception", "anna"):
    env["res.users"].search([("login", "=", login)]).lang = "ru_RU"
companies = env.ref("base.main_company") | env.ref("beauty_crm.company_shanghai")
companies.beauty_sms_provider = "log"
env.cr.commit()
