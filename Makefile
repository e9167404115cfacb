.PHONY: install demo test test-pg lint bench

install:
	python3 -m pip install -e '.[test]'

demo:
	python3 -m pip install . && clarion demo

test:
	python3 -m pip install -e '.[test]' && python3 -m pytest

test-pg:
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/clarion python3 -m pytest

lint:
	python3 -m ruff check . && python3 -m ruff format --check . && python3 -m mypy clarion

bench:
	python3 bench/bench_writing.py
	python3 bench/bench_campaign.py
	python3 bench/bench_daily.py
	python3 bench/bench_copy.py
	python3 bench/bench_web.py
