.PHONY: demo test lint bench

demo:
	python3 dev.py demo

test:
	python3 dev.py test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:
	.venv/bin/python bench/provision.py
	.venv/bin/python bench/content.py
