.PHONY: demo test lint

demo:  ## serve the demo salon on http://127.0.0.1:8069
	tools/demo.sh

test:  ## every test on a fresh database; ends with "N passed, N failed"
	tools/test.sh

lint:  ## ruff (OCA settings) and pylint-odoo's mandatory checks
	ruff check beauty_crm tools
	ruff format --check beauty_crm tools
	pylint --rcfile=.pylintrc-mandatory beauty_crm
