# Thin wrappers around dev.py, which needs nothing but Python 3.11+.
.PHONY: run test lint bench messages
run:
	python3 dev.py run
test:
	python3 dev.py test
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
messages:
	DEBUG=True .venv/bin/python manage.py makemessages -l en --no-obsolete --no-location --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles && DEBUG=True .venv/bin/python manage.py compilemessages -l en --ignore=.venv
bench:
	DEBUG=True .venv/bin/python bench/foundation.py
