.PHONY: demo test lint bench bench-pages bench-search

demo:
	python3 dev.py demo

test:
	python3 dev.py test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:
	.venv/bin/python bench/provision.py
	.venv/bin/python bench/content.py
	.venv/bin/python bench/pages.py
	.venv/bin/python bench/search.py
	.venv/bin/python bench/isolation.py
	.venv/bin/python bench/tasks.py
	.venv/bin/python bench/letters.py

bench-pages:
	.venv/bin/python bench/pages.py

bench-search:
	.venv/bin/python bench/search.py
