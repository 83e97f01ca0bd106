# tianping — two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR := $(or $(TIANPING_DATA_DIR),var)
PORT ?= 8000
APT_RUN := fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
APT_TEST := chromium chromium-driver libreoffice-calc-nogui
# compiling catalogues needs no secret key (settings: _KEYLESS_COMMANDS; a fresh clone has no var/secret_key yet)
COMPILE_MESSAGES := $(BIN)/python manage.py compilemessages -v0 --ignore=.venv

.PHONY: install run test test-deps test-fast bench screenshots lint messages demo clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Debian packages the app needs; installed only when missing.
define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "安装 Debian 软件包:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi
endef

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip >/dev/null
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
	$(call apt_ensure,$(APT_RUN))
	@mkdir -p $(DATA_DIR)
	@[ -n "$$SECRET_KEY" ] || [ -s $(DATA_DIR)/secret_key ] || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > $(DATA_DIR)/secret_key
	@[ -n "$$TIANPING_AUDIT_KEY" ] || [ -s $(DATA_DIR)/audit_key ] || (umask 077 && $(BIN)/python -c "import secrets; print('1:' + secrets.token_urlsafe(48))" > $(DATA_DIR)/audit_key)
	$(COMPILE_MESSAGES)
	DEBUG=1 $(BIN)/python manage.py migrate -v0

demo: install
	DEBUG=1 $(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "天平已启动: http://127.0.0.1:$(PORT)/   演示账号（密码均为 $${TIANPING_DEMO_PASSWORD:-Tianping@2016}）:"
	@echo "  admin 系统管理员 · security 安全管理员 · auditor 审计管理员 · president 院长 · party_office 政治部"
	@echo "  secretary_shagou 沙沟法庭党支部书记 · judge_demo 法官 · trial_office 审管办 · mediator_demo 调解员 · centre_demo 诉调对接中心 · station_shagou 沙沟法庭服务站 · zaozhuang 上级法院"
	@echo "  三员账号登录须输入动态验证码：身份验证器密钥 ORUWC3TQNFXGOLLEMVWW6LLUN52HAIJB（见 README）"
	@echo "  数据接口（仅限演示）：curl -H 'Authorization: Bearer tp1_DEMO-ONLY-trial-system-not-a-secret' 'http://127.0.0.1:$(PORT)/api/v1/figures/trials?year=2016'"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# what the tests need besides the venv (Debian packages, compiled catalogues); .ci/run calls it once before it runs
# the SQLite and PostgreSQL halves side by side
test-deps: $(VENV)/.installed
	$(call apt_ensure,$(APT_RUN) $(APT_TEST))
	$(COMPILE_MESSAGES)

test: test-deps
	$(BIN)/python -m pytest -q -x --maxfail=5 $(PYTEST_ARGS)

# ruff (line length enforced), mypy with django-stubs (strict for core, services, selectors; see pyproject),
# and no model change without its migration
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/mypy
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

messages: $(VENV)/.installed
	for app in tianping/*/; do [ -d $$app/locale ] && (cd $$app && ../../$(BIN)/django-admin makemessages -l en -v0); done; true

# the benchmarks' own extras (django-import-export, tablib, qrcode, locust): `pip install -e '.[test,bench]'`
$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

# bench/run.py builds its own court in /tmp/tianping-bench (var/ is not touched); figures -> docs/benchmarks.md
bench: $(VENV)/.bench-installed
	$(call apt_ensure,$(APT_RUN))
	$(COMPILE_MESSAGES)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# the demo court in a test database, photographed in Chromium for every demo role -> docs/screenshots/tour/
screenshots: $(VENV)/.installed
	$(call apt_ensure,$(APT_RUN) $(APT_TEST))
	$(COMPILE_MESSAGES)
	$(BIN)/python -m pytest -q tests/test_screenshots.py --screenshots

# a production host's checks (manage.py doctor, docs/deploy.md) with the site's environment file
ENV_FILE ?= $(wildcard /etc/tianping/tianping.env)
.PHONY: prod-check
prod-check:
	@set -a; [ -z "$(ENV_FILE)" ] || . $(ENV_FILE); set +a; $(BIN)/python manage.py doctor

clean:
	rm -rf $(VENV) var
