"""Settings for tianping: every setting is declared here; values come from the environment.

Environment variables (all optional in development, see README):
  DEBUG              0/1 (default 0: production-safe)
  SECRET_KEY         required when DEBUG=0; `make run` keeps a generated one in var/secret_key
  ALLOWED_HOSTS      comma separated (default localhost,127.0.0.1)
  DATABASE_URL       postgres://user@host:port/db or sqlite:///path (default SQLite under the data dir)
  DATABASE_REPLICA_URL  optional: a PostgreSQL streaming replica that serves the figures (core/replica.py)
  TIANPING_REPLICA_MAX_LAG  seconds the replica may lag and still serve figures (default 30)
  TIANPING_DATA_DIR  folder for the SQLite database, uploads and generated files (default ./var)
  PORT               port of `make run` (default 8000)
  TIANPING_REQUIRE_MFA  0/1 (default 1 in production, the demo sets 0)
  TIANPING_DEMO_PASSWORD  password of the demo accounts (default Tianping@2016)
  TIANPING_PUBLIC_URL  the address phones reach the site at, e.g. https://tianping.court.example (QR sign-in
                     links, calendar feeds; default: the host of the request)
  TIANPING_SQLITE_BUSY_TIMEOUT  seconds a SQLite writer waits for the write lock (default 20)
  TIANPING_CACHE_DIR  folder of the cache shared by the app-server processes (default <data dir>/cache)
  TIANPING_HOME_CACHE_SECONDS  seconds an account's home page figures and to-dos are kept (default 60)
  TIANPING_FIGURES_CACHE_SECONDS  seconds the 三比 page's court-wide figures are kept (default 60)
  TIANPING_IMPORT_CHECK_AHEAD_ROWS  .xlsx imports of this many rows check rows in a second process (default 5000)
  TIANPING_FRIENDLY_ERRORS  0/1 (default 1): Chinese 403/404/500 pages even with DEBUG=1; 0 shows Django's
                     debug pages to a developer

A malformed value stops start-up with a message that names the variable and what to write.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无法识别：请写 1 或 0（true/false）。")


def _env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 10**9) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 不是整数：请写一个 {minimum}–{maximum} 之间的整数。") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"环境变量 {name}={value} 超出范围：应在 {minimum}–{maximum} 之间。")
    return value


DEBUG = _env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules or _env_bool("TIANPING_TESTING", False)

DATA_DIR = Path(os.environ.get("TIANPING_DATA_DIR") or BASE_DIR / "var").resolve()
PORT = _env_int("PORT", 8000, minimum=1, maximum=65535)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
_secret_file = DATA_DIR / "secret_key"  # written by `make install` for development
if not SECRET_KEY and _secret_file.exists():
    SECRET_KEY = _secret_file.read_text().strip()
# Commands that write or read only source files (migrations, catalogues) never sign, hash or serve anything: they
# run without a key, e.g. `manage.py makemigrations --check` on a fresh clone.
_KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "makemessages", "compilemessages"}
if not SECRET_KEY:
    if DEBUG or TESTING or sys.argv[1:2] and sys.argv[1] in _KEYLESS_COMMANDS:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-0123456789abcdef"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "未设置 SECRET_KEY：生产环境请设置一个至少 50 个字符的随机值（开发时用 `make run`，它会生成并保存在 var/ 下）。"
        )
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY 太短：请使用至少 50 个字符的随机值。")

# The audit chain's HMAC key(s), kept outside the database (tianping/core/audit.py; rotation in docs/security.md):
# lines "VERSION:KEY" from env TIANPING_AUDIT_KEY or the file var/audit_key (`make install` writes it, mode 600).
TIANPING_AUDIT_KEY = os.environ.get("TIANPING_AUDIT_KEY", "")
_audit_key_file = DATA_DIR / "audit_key"
if not TIANPING_AUDIT_KEY and _audit_key_file.exists():
    TIANPING_AUDIT_KEY = _audit_key_file.read_text(encoding="utf-8")

_hosts = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
for _h in ALLOWED_HOSTS:
    if " " in _h or "/" in _h:
        raise ImproperlyConfigured(f"ALLOWED_HOSTS 中的 {_h!r} 不是主机名：请写逗号分隔的主机名，如 court.example,127.0.0.1。")

# --- applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # tianping, in dependency order
    "tianping.core",
    "tianping.org",
    "tianping.accounts",
    "tianping.party",
    "tianping.partylife",
    "tianping.trials",
    "tianping.mediation",
    "tianping.integrity",
    "tianping.service",
    "tianping.honours",
    "tianping.api",
    "tianping.annual",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tianping.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tianping.core.language.SwitchLocaleMiddleware",  # Chinese unless switched (ignores Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tianping.core.middleware.LoginRequiredMiddleware",
    "tianping.accounts.middleware.SessionSecurityMiddleware",
    "tianping.core.middleware.SecurityHeadersMiddleware",
    "tianping.core.middleware.FriendlyErrorsMiddleware",
]

ROOT_URLCONF = "tianping.urls"
WSGI_APPLICATION = "tianping.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tianping" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tianping.core.context_processors.shell",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------------------------
_db_url = os.environ.get("DATABASE_URL", "")
if _db_url:
    import dj_database_url

    if not _db_url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL={_db_url!r} 无法识别：请写 postgres://用户@主机:端口/库名 或 sqlite:///文件路径。"
        )
    try:
        DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
    except Exception as exc:  # noqa: BLE001 - any parse error is a configuration error
        raise ImproperlyConfigured(f"DATABASE_URL 格式错误（{exc}）：请写 postgres://用户@主机:端口/库名。") from exc
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "tianping.sqlite3")}}
# SQLite as an embedded database that several people use at once (docs/security.md, "SQLite or PostgreSQL"):
# - WAL: readers never wait for the writer and the writer never waits for readers;
# - synchronous=NORMAL: safe with WAL (a power cut loses at most the last commits, never corrupts);
# - a busy timeout: a writer waits up to this long for another writer's commit instead of failing at once;
# - IMMEDIATE transactions: every atomic block takes the write lock at BEGIN, so two transactions that both
#   read and then write cannot deadlock (a DEFERRED transaction upgrading its read lock fails at once with
#   "database is locked", whatever the timeout). A request that still cannot get the lock gets the
#   "系统繁忙，请稍后重试" page (tianping.core.middleware.FriendlyErrorsMiddleware), not a 500.
SQLITE_BUSY_TIMEOUT_SECONDS = _env_int("TIANPING_SQLITE_BUSY_TIMEOUT", 20, minimum=1, maximum=300)
SQLITE_OPTIONS = {
    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A PostgreSQL streaming replica for the figures (tianping.core.replica, docs/deploy.md "只读副本"): optional.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url:
    import dj_database_url

    if not _replica_url.startswith(("postgres://", "postgresql://")) or not _db_url.startswith(("postgres://",
                                                                                                  "postgresql://")):
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL={_replica_url!r}：只读副本只支持 PostgreSQL 流复制备库，且 DATABASE_URL 也须是 PostgreSQL"
            "（postgres://用户@主机:端口/库名）。")
    # tests: the replica alias reads the test database under the same name on the replica's server
    DATABASES["replica"] = {**dj_database_url.parse(_replica_url, conn_max_age=60), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["tianping.core.replica.ReplicaRouter"]
# seconds the replica may be behind the primary and still serve figures; beyond it they come from the primary
TIANPING_REPLICA_MAX_LAG = _env_int("TIANPING_REPLICA_MAX_LAG", 30, minimum=0, maximum=86400)

# --- cache ------------------------------------------------------------------------------------------
# Shared by every app-server process on a host: files under the data dir (no extra server to run; with the data
# dir on shared storage, by every host). What is kept there is short-lived and per account (the home page's
# figures and to-dos, TIANPING_HOME_CACHE_SECONDS; the annual dashboard's figures, 5 minutes). Tests keep a
# per-process memory cache and no home cache unless a test asks for one.
TIANPING_CACHE_DIR = os.environ.get("TIANPING_CACHE_DIR", "") or str(DATA_DIR / "cache")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"} if TESTING else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": TIANPING_CACHE_DIR,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
# seconds the home page's figures and to-dos of one account are kept (0: worked out on every visit); the
# account's own changes (anything it does that is audited) clear its copy at once, others' show within this
TIANPING_HOME_CACHE_SECONDS = _env_int("TIANPING_HOME_CACHE_SECONDS", 0 if TESTING else 60, minimum=0, maximum=3600)
# seconds the 三比 page's court-wide figures are kept per court, period and roles (0: gathered on every visit)
TIANPING_FIGURES_CACHE_SECONDS = _env_int("TIANPING_FIGURES_CACHE_SECONDS", 0 if TESTING else 60, minimum=0,
                                          maximum=3600)

# --- background tasks (django-tasks, database backend) ------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
    }
}

# --- passwords and sessions ---------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many users; argon2 at production cost would dominate the run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tianping.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
SESSION_COOKIE_AGE = 12 * 3600  # any session ends after 12 hours
TIANPING_IDLE_TIMEOUT_SECONDS = _env_int("TIANPING_IDLE_TIMEOUT_SECONDS", 30 * 60, minimum=60)
TIANPING_PASSWORD_MAX_AGE_DAYS = _env_int("TIANPING_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
# TOTP for every account (the administrators always need it, see accounts/security_policy.py); off in the demo and
# in tests unless a test switches it on.
TIANPING_REQUIRE_MFA = _env_bool("TIANPING_REQUIRE_MFA", not DEBUG and not TESTING)
# The three administrator roles always need TOTP; only the test suite turns this off (so tests of other
# areas can force_login an administrator). Deliberately not an environment variable.
TIANPING_ADMIN_MFA = not TESTING
TIANPING_LOCKOUT_THRESHOLD = _env_int("TIANPING_LOCKOUT_THRESHOLD", 5, minimum=3, maximum=20)
TIANPING_LOCKOUT_WINDOW_MINUTES = _env_int("TIANPING_LOCKOUT_WINDOW_MINUTES", 15, minimum=1, maximum=1440)
TIANPING_LOCKOUT_MINUTES = _env_int("TIANPING_LOCKOUT_MINUTES", 30, minimum=1, maximum=1440)
OTP_TOTP_ISSUER = "天平"
# Enrolling a second factor needs a one-time code from the security administrator (besides the password):
# valid this many hours, void after this many wrong tries.
TIANPING_ENROLMENT_CODE_HOURS = _env_int("TIANPING_ENROLMENT_CODE_HOURS", 72, minimum=1, maximum=720)
TIANPING_ENROLMENT_CODE_MAX_FAILURES = 5
TIANPING_DEMO_PASSWORD = os.environ.get("TIANPING_DEMO_PASSWORD", "Tianping@2016")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "tianping_session"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

# --- security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS and SSL redirect only take effect on HTTPS requests; production sets them below.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS: list[Path] = []  # each app keeps its own catalogue in tianping/<app>/locale/
FORMAT_MODULE_PATH = ["tianping.core.formats"]  # dates as 2016-03-01 in both languages
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
# No URL serves MEDIA_ROOT, in any mode: uploads are served only by the app views that ask the policy.
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
TIANPING_UPLOAD_MAX_BYTES = _env_int("TIANPING_UPLOAD_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
# Organisational life: QR sign-in opens this many minutes before a meeting starts; after start + grace
# a sign-in counts as late. Meeting attachments (photos, PDFs) are limited to this size.
TIANPING_SIGNIN_OPENS_MINUTES = _env_int("TIANPING_SIGNIN_OPENS_MINUTES", 30, minimum=0, maximum=240)
TIANPING_SIGNIN_GRACE_MINUTES = _env_int("TIANPING_SIGNIN_GRACE_MINUTES", 5, minimum=0, maximum=120)
# The site's public address (scheme and host, no path) for links that leave the browser: the QR sign-in code
# scanned by phones, calendar subscriptions. Empty: the host of the request (fine when staff browse by name).
TIANPING_PUBLIC_URL = os.environ.get("TIANPING_PUBLIC_URL", "").strip().rstrip("/")
if TIANPING_PUBLIC_URL and not (TIANPING_PUBLIC_URL.startswith(("http://", "https://"))
                                and "/" not in TIANPING_PUBLIC_URL.split("://", 1)[1]):
    raise ImproperlyConfigured(f"TIANPING_PUBLIC_URL 应为本站对外地址，如 https://tianping.court.example"
                               f"（不带路径），现为 {TIANPING_PUBLIC_URL!r}。")
TIANPING_MEETING_ATTACHMENT_MAX_BYTES = _env_int("TIANPING_MEETING_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024,
                                                minimum=1024)

# Django's renderer with inputs, selects and options written in Python (same markup, a sixth of a list page's time)
FORM_RENDERER = "tianping.core.renderers.FastWidgetRenderer"
DJANGO_TABLES2_TEMPLATE = "core/table.html"  # bootstrap5 with htmx sort and page links
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# 403/404/500 pages in Chinese with a way back, also with DEBUG=1 (`make run`); a developer who wants Django's
# technical pages sets TIANPING_FRIENDLY_ERRORS=0.
TIANPING_FRIENDLY_ERRORS = _env_bool("TIANPING_FRIENDLY_ERRORS", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- production operations (manage.py doctor / backup / worker; docs/deploy.md) --------------------------------
# doctor fails when the newest worker heartbeat is older than this, the data directory has less free space, or the
# last `manage.py backup` is older than this many hours
TIANPING_WORKER_STALE_SECONDS = _env_int("TIANPING_WORKER_STALE_SECONDS", 120, minimum=30)
TIANPING_MIN_FREE_MB = _env_int("TIANPING_MIN_FREE_MB", 2048, minimum=0)
TIANPING_BACKUP_MAX_AGE_HOURS = _env_int("TIANPING_BACKUP_MAX_AGE_HOURS", 26, minimum=1)
# Behind nginx (deploy/nginx-tianping.conf): uploads are handed over with X-Accel-Redirect to this internal location
# (nginx maps it to MEDIA_ROOT and serves it only to such responses), after the view's permission check. Empty:
# Django streams the file itself (development, or no nginx in front).
TIANPING_X_ACCEL_REDIRECT = os.environ.get("TIANPING_X_ACCEL_REDIRECT", "").strip()
if TIANPING_X_ACCEL_REDIRECT and not (TIANPING_X_ACCEL_REDIRECT.startswith("/") and TIANPING_X_ACCEL_REDIRECT.endswith("/")):
    raise ImproperlyConfigured(f"TIANPING_X_ACCEL_REDIRECT 应为 nginx 内部位置，以 / 开头和结尾，如 /_protected/media/，"
                               f"现为 {TIANPING_X_ACCEL_REDIRECT!r}。")
# imports larger than this go to the background worker (README "导入导出"); read here so the environment can set it
TIANPING_IMPORT_INLINE_BYTES = _env_int("TIANPING_IMPORT_INLINE_BYTES", 512 * 1024, minimum=0)
# an .xlsx import of at least this many rows checks its rows in a second process, a batch ahead of the writes
# (tianping.core.importexport._CheckAhead); 0: never
TIANPING_IMPORT_CHECK_AHEAD_ROWS = _env_int("TIANPING_IMPORT_CHECK_AHEAD_ROWS", 5000, minimum=0)
