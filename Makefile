# Yumao — the commands a newcomer needs. `make run` and `make test` each work on a fresh
# Debian/Ubuntu machine with Python 3.11–3.13 (python3-venv installed).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: run test up bench lint install migrate messages clean model

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else "Yumao needs Python 3.11–3.13; set PYTHON=python3.1x")'
	@$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu run 'sudo apt-get install python3-venv'"; exit 1; }

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

run: migrate
	$(PY) manage.py seed_demo
	@echo "羽毛已启动：http://127.0.0.1:$(PORT)/  （Ctrl+C 停止）"
	PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Production-like: gunicorn + Celery worker + beat against DATABASE_URL / CELERY_BROKER_URL / REDIS_URL.
up: install
	@test -n "$$DATABASE_URL" -a -n "$$CELERY_BROKER_URL" || { echo "make up needs DATABASE_URL and CELERY_BROKER_URL (see README)"; exit 1; }
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/honcho start

bench: install
	$(PY) -m bench

# The scanner's shipped text model, seeds/model/default.ymodel, from seeds/corpus/ and ../shared/cold/train.csv
# (deterministic: the same data gives the same bytes).
model: install
	$(PY) -m moderation.scanner.training build-default

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Rebuild the English catalogue after changing UI strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv
	$(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
