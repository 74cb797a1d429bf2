"""govsite settings: one module, every value from the environment with an embedded default.

The defaults run a complete platform with nothing installed beyond Python (SQLite in WAL mode,
files under ./var/). Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and GOVSITE_DEBUG=0.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url

from govsite.core.email_url import parse_email_url

env = os.environ.copy()


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean flag such as GOVSITE_DEBUG=1 from the environment."""
    value = env.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env.get("GOVSITE_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("GOVSITE_DEBUG", False)
# The embedded default key is for the demo only; `check --deploy` fails on it in production.
SECRET_KEY = env.get("SECRET_KEY", "django-insecure-govsite-demo-key-change-me-in-production")
# 等保 E8: personal data at rest (core/crypto.py, docs/personal-data.md). GOVSITE_PII_KEYS: Fernet keys,
# comma-separated, newest first (encrypt with the first, decrypt with any); GOVSITE_PII_HASH_KEY: the
# HMAC key of the lookup hashes. Unset: fixed demo keys, which `check --deploy` refuses.
GOVSITE_PII_KEYS = env_list("GOVSITE_PII_KEYS", "")
GOVSITE_PII_HASH_KEY = env.get("GOVSITE_PII_HASH_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost,[::1],testserver")

INSTALLED_APPS = [
    "govsite.core",
    "govsite.accounts",
    "govsite.workdays",
    "govsite.sites",
    "govsite.content",
    "govsite.checks",
    "govsite.versions",
    "govsite.workflow",
    "govsite.search",
    "govsite.citizens",
    "govsite.disclosure",
    "govsite.interaction",
    "govsite.participation",
    "govsite.services",
    "govsite.monitoring",
    "govsite.publishing",
    "govsite.opengov",
    "govsite.annualreport",
    "govsite.inspection",
    "govsite.legacy",
    "govsite.delivery",
    "govsite.editorial",
    "govsite.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "govsite.core.apps.GovsiteUsersConfig",  # wagtail.users with 三员分立 on the user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "django_tasks",
    "django_tasks_db",
    "modelcluster",
    "taggit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    # Only for its zh_Hans catalogue: Wagtail's history and workflow screens use its naturaltime
    # ("14 seconds ago"), whose messages Django loads from installed apps only.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "govsite.core.health.HealthCheckMiddleware",  # first: /healthz and /readyz for load balancers
    "django.middleware.security.SecurityMiddleware",
    "govsite.core.middleware.TextGZipMiddleware",  # before anything that writes the body
    "govsite.accounts.middleware.AdminHostMiddleware",  # 内外网分离: no admin on public hosts
    "govsite.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "govsite.versions.middleware.VersionPrefixMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "govsite.core.audit.AuditMiddleware",  # after the user is known: records name user, IP, agent
    "django.contrib.messages.middleware.MessageMiddleware",
    "govsite.accounts.middleware.AdminAccountMiddleware",  # idle timeout, second factor, password age
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "govsite.core.middleware.GovsiteCSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "govsite.core.middleware.PIIKeyErrorMiddleware",  # unreadable personal data: a message, no traceback
    "govsite.core.middleware.SiteLookupMiddleware",  # last: its errors get every header above
]

ROOT_URLCONF = "govsite.urls"
WSGI_APPLICATION = "govsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "govsite.core.context_processors.current_site",
                "govsite.core.context_processors.platform_name",
                "govsite.versions.context_processors.version",
            ],
        },
    },
]

# --- Cache: shared by every process (search rate limits, Wagtail's site lookup, 热词) ----------------
# Files under var/ by default (all processes of one machine see the same counts and invalidations);
# REDIS_URL (pip install "govsite[redis]") when several machines serve the platform.
# Several application nodes (docs/deployment.md) share one Redis: the rate limits, the captcha's used
# nonces and the session cache then count across all of them.
if "REDIS_URL" in env:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env["REDIS_URL"],
            "KEY_PREFIX": env.get("GOVSITE_CACHE_PREFIX", "govsite"),
        }
    }
    # Sessions (admin logins with their second-factor state, public-form sessions) are written to the
    # database and read from Redis: every node reads them without a query, and a Redis restart or
    # eviction logs nobody out (the database copy is the truth). A pure cache session would be lost
    # with Redis; a file-cached one would let another node keep a logged-out session alive.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Database: SQLite (WAL) by default, DATABASE_URL switches to PostgreSQL ----------------------
if "DATABASE_URL" in env:
    # Persistent connections, checked before each request reuses one (a restarted database server
    # then costs one reconnect, not a 500).
    DATABASES = {
        "default": dj_database_url.parse(env["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and the 等保 baseline -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django 5.2's own "too short" message has no Chinese translation yet: govsite's subclass has.
    {"NAME": "govsite.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "govsite.core.passwords.CharacterClassValidator"},
    # No reuse of the last GOVSITE_PASSWORD_HISTORY passwords; it also records each new one.
    {"NAME": "govsite.accounts.validators.PasswordHistoryValidator"},
]
# --- Admin accounts under 等保 level 3 (govsite.accounts, docs/accounts.md) ------------------------
# E4: password + a second factor (TOTP or a plugged-in one) for every account that can reach the admin.
GOVSITE_TWO_FACTOR = env_bool("GOVSITE_TWO_FACTOR", True)
# Second factors proved outside the code form, e.g. a 国密 certificate checked by the TLS terminator.
GOVSITE_SECOND_FACTORS = env_list("GOVSITE_SECOND_FACTORS", "")
OTP_TOTP_ISSUER = env.get("GOVSITE_PLATFORM_NAME", "政府网站集约化平台")
# E1: passwords expire after this many days (0: never) and may not repeat the last N.
GOVSITE_PASSWORD_MAX_AGE_DAYS = int(env.get("GOVSITE_PASSWORD_MAX_AGE_DAYS", "90"))
GOVSITE_PASSWORD_HISTORY = int(env.get("GOVSITE_PASSWORD_HISTORY", "5"))
# E2: an admin session idle this long is logged out.
GOVSITE_ADMIN_IDLE_MINUTES = int(env.get("GOVSITE_ADMIN_IDLE_MINUTES", "30"))
# E5: accounts unused this long are disabled by the platform clock; names no new account may take.
GOVSITE_DORMANT_DAYS = int(env.get("GOVSITE_DORMANT_DAYS", "90"))
GOVSITE_RESERVED_USERNAMES = env_list(
    "GOVSITE_RESERVED_USERNAMES", "admin,administrator,root,superuser,sysadmin,system,sa,guest,test"
)
# 内外网分离: the admin answers only on these hosts (empty: any host in ALLOWED_HOSTS) and only to
# clients in these networks (CIDR, empty: any); elsewhere /admin/ is a 404.
GOVSITE_ADMIN_HOSTS = [host.lower() for host in env_list("GOVSITE_ADMIN_HOSTS", "")]
GOVSITE_ADMIN_NETWORKS = env_list("GOVSITE_ADMIN_NETWORKS", "")
# Lock a username + address after 5 failures for 30 minutes; a username from any addresses after 20
# and an address for any usernames after 30 (govsite.core.lockout: a username is held to the pair limit
# only at an address it logged in from within GOVSITE_LOGIN_KNOWN_DAYS). A lockout is not extended
# by attempts made while it lasts, so keeping an official locked out costs the full count each time.
AXES_FAILURE_LIMIT = int(env.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "govsite.core.lockout.GovsiteAxesHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The public forms' own arithmetic captcha (core/captcha.py); 0 switches it off (tests, load tests).
GOVSITE_CAPTCHA = env_bool("GOVSITE_CAPTCHA", True)
# 留言 submissions and lookups per client address per minute (0: no limit, for load tests).
GOVSITE_MESSAGE_SUBMIT_LIMIT = int(env.get("GOVSITE_MESSAGE_SUBMIT_LIMIT", "5"))
GOVSITE_MESSAGE_LOOKUP_LIMIT = int(env.get("GOVSITE_MESSAGE_LOOKUP_LIMIT", "10"))
GOVSITE_LOGIN_ACCOUNT_LIMIT = int(env.get("GOVSITE_LOGIN_ACCOUNT_LIMIT", "20"))
GOVSITE_LOGIN_ADDRESS_LIMIT = int(env.get("GOVSITE_LOGIN_ADDRESS_LIMIT", "30"))
GOVSITE_LOGIN_KNOWN_DAYS = int(env.get("GOVSITE_LOGIN_KNOWN_DAYS", "90"))
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind nginx every request comes from 127.0.0.1: GOVSITE_PROXY_COUNT=1 (the number of trusted
# proxies in front of Django) makes lockouts use the address nginx saw in X-Forwarded-For instead.
GOVSITE_PROXY_COUNT = int(env.get("GOVSITE_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "govsite.core.middleware.client_ip"

# The audit trail (docs/audit-trail.md): records are kept GOVSITE_AUDIT_RETENTION_DAYS days (等保 asks for
# at least 180; `govsite audit prune` refuses less). GOVSITE_AUDIT_SYSLOG (host:port or a socket path
# such as /dev/log) is where `govsite audit head --syslog` sends the chain head by default.
GOVSITE_AUDIT_RETENTION_DAYS = int(env.get("GOVSITE_AUDIT_RETENTION_DAYS", "180"))
GOVSITE_AUDIT_MIN_RETENTION_DAYS = 180
GOVSITE_AUDIT_SYSLOG = env.get("GOVSITE_AUDIT_SYSLOG", "")
GOVSITE_ADMIN_PREFIX = "/admin/"

# Outgoing mail (the admin's password reset): EMAIL_URL, e.g. smtp://user:pass@mail.example.gov.cn:587/?tls=1
# (govsite.core.email_url). Unset, mails are written as files under var/mail/: nothing leaves the machine
# (and no reset link lands in logs shipped elsewhere) until an operator chooses a server.
EMAIL_URL = env.get("EMAIL_URL", "file://")
globals().update(parse_email_url(EMAIL_URL, default_file_path=VAR_DIR / "mail"))  # EMAIL_BACKEND, EMAIL_HOST…
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "govsite@localhost")
SERVER_EMAIL = env.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = True
# Nothing frames the public site; Wagtail marks its preview views SAMEORIGIN itself.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy (govsite.core.middleware, and both file servers): no page may use a powerful
# browser feature; only the page itself may go full screen (a video's full-screen button).
# interest-cohort (FLoC) is kept for the older Chromium forks common in China; Chromium ignores
# names it does not know without a console message (checked with Chromium 156).
GOVSITE_PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
} | {"fullscreen": ["self"]}
if env_bool("GOVSITE_HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Content-Security-Policy: first-party only, and no inline script anywhere on the public site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The Wagtail admin gets a policy of its own (govsite.core.middleware.ADMIN_PREFIXES); public pages
# never relax theirs. Checked with Wagtail 8.0.1 in Chromium (explorer, page editor with Draftail,
# image/page/document choosers, inline panels, date pickers, preview panel, publishing, multiple
# image upload, users, history, reports): with this policy there is no CSP violation. What is
# still loose, and why:
# - script-src 'unsafe-inline': Wagtail renders widget set-up as inline <script> elements
#   (initDateChooser(...), new InlinePanel(...), new DocumentChooser(...)) with per-field ids and
#   JSON, and chooser modals insert more through jQuery. They carry no nonce and change with every
#   form, so neither nonces nor hashes can replace it without patching Wagtail's templates.
#   'unsafe-eval' is NOT needed: nothing in the admin calls eval()/new Function() (axe-core's
#   bundled doT compiler only runs for rule messages written as {{…}} templates; Wagtail's are not).
# - style-src 'unsafe-inline': Draftail and the admin's React components inject <style> elements
#   and style attributes at run time.
# - img-src blob:: the multiple image upload shows a preview of each file from a blob: URL.
# - frame-ancestors 'self': the preview panel frames /admin/pages/<id>/edit/preview/.
# Gravatar is switched off (WAGTAIL_GRAVATAR_PROVIDER_URL), so no third-party host is needed.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-ancestors": ["'self'"],
    }
}

# --- Internationalisation: a Chinese platform ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# govsite's own catalogue (src/govsite/locale, built by `python -m govsite.core.catalogues`, see
# docs/admin-language.md) comes first: it supplies what Wagtail's and Django's zh_Hans catalogues lack.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# One time zone for the whole platform: the account page offers no list of 600 English zone names.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]

# --- Files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
# Several application nodes (docs/deployment.md) put uploads on one shared directory (NFS).
MEDIA_ROOT = Path(env.get("GOVSITE_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Tests and the embedded server may run before collectstatic: let WhiteNoise look in the apps.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# --- Static publishing (静态化发布) ------------------------------------------------------------
# Published pages are written under GOVSITE_PUBLIC_DIR/<hostname>/; readers get files, not Python.
GOVSITE_PUBLIC_DIR = Path(env.get("GOVSITE_PUBLIC_DIR", VAR_DIR / "public"))
# Publishing on publish/unpublish/move. Off, pages are served by the application only.
GOVSITE_STATIC_PUBLISHING = env_bool("GOVSITE_STATIC_PUBLISHING", True)
# Publish targets (govsite.delivery, docs/delivery.md): web nodes the published files are pushed to.
GOVSITE_RSYNC = env.get("GOVSITE_RSYNC", "rsync")
GOVSITE_DELIVERY_RETRY_SECONDS = int(env.get("GOVSITE_DELIVERY_RETRY_SECONDS", 60))  # catch-up on the clock
GOVSITE_DELIVERY_MAX_BACKLOG = int(env.get("GOVSITE_DELIVERY_MAX_BACKLOG", 200))  # more changesets: full sync
GOVSITE_DELIVERY_MAX_BACKLOG_HOURS = int(
    env.get("GOVSITE_DELIVERY_MAX_BACKLOG_HOURS", 24)
)  # older: full sync
GOVSITE_DELIVERY_CONNECT_TIMEOUT = int(
    env.get("GOVSITE_DELIVERY_CONNECT_TIMEOUT", 5)
)  # seconds, per SSH connect
GOVSITE_DELIVERY_TIMEOUT = int(env.get("GOVSITE_DELIVERY_TIMEOUT", 1800))  # seconds, per rsync run
GOVSITE_DELIVERY_PARALLEL = int(env.get("GOVSITE_DELIVERY_PARALLEL", 4))  # targets delivered to at once
GOVSITE_DELIVERY_SSH_CONTROL_PERSIST = int(env.get("GOVSITE_DELIVERY_SSH_CONTROL_PERSIST", 60))  # 0: no reuse
GOVSITE_DELIVERY_KEEP_DAYS = int(env.get("GOVSITE_DELIVERY_KEEP_DAYS", 7))  # older changesets are pruned
# The shared key signing `govsite publish --export` files (HMAC-SHA256); `govsite apply` checks it.
GOVSITE_EXPORT_KEY = env.get("GOVSITE_EXPORT_KEY", "")
# Addresses that always go to the application, never to published files. Apps add theirs.
GOVSITE_DYNAMIC_PREFIXES = [
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/search/",
    "/yisqgk/",  # 依申请公开: the application form and the lookup (govsite.disclosure)
    "/gzcy/",  # 公众参与: the forms of 征集, 调查 and 在线访谈 (govsite.participation)
    "/zhaocuo/",  # 我为政府网站找错 (govsite.citizens)
    "/zhanghu/",  # the public's 登录/注册 and 我的账号 (govsite.citizens)
    "/liuyan/",  # 留言: the message form, the lookup and the rating (govsite.interaction)
    "/api/",
    "/_util/",
]
# Those of them that also exist under each version prefix (/elder/search/, the 长辈版 search and form).
GOVSITE_VERSIONED_DYNAMIC_PREFIXES = ["/search/", "/yisqgk/", "/gzcy/", "/zhaocuo/", "/zhanghu/", "/liuyan/"]
# The embedded server serves uploaded media itself; nginx does it in production.
GOVSITE_SERVE_MEDIA = env_bool("GOVSITE_SERVE_MEDIA", True)
# Browser cache lifetime (seconds) of published pages and of uploaded media, for `govsite serve` and
# `govsite nginx-config` alike. Pages are short so that a new publication shows within a minute.
GOVSITE_PAGE_MAX_AGE = int(env.get("GOVSITE_PAGE_MAX_AGE", "60"))
GOVSITE_MEDIA_MAX_AGE = int(env.get("GOVSITE_MEDIA_MAX_AGE", "3600"))
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Monitoring (网站监测, docs/monitoring.md) -----------------------------------------------------
# The home page of every site is probed as the public reaches it (国办秘函〔2019〕19号: ≥ 20 probes a day,
# 15 s): every GOVSITE_PROBE_INTERVAL_MINUTES, each probe bounded by GOVSITE_PROBE_TIMEOUT seconds.
# GOVSITE_PROBES=0 switches the probe off (an installation whose sites the platform cannot reach).
GOVSITE_PROBES = env_bool("GOVSITE_PROBES", True)
GOVSITE_PROBE_INTERVAL_MINUTES = int(env.get("GOVSITE_PROBE_INTERVAL_MINUTES", "60"))
GOVSITE_PROBE_TIMEOUT = float(env.get("GOVSITE_PROBE_TIMEOUT", "15"))
# Outbound links found on published pages are checked in the background, politely: at most one request
# per host every GOVSITE_LINKCHECK_HOST_SECONDS, at most GOVSITE_LINKCHECK_PER_RUN links per run (one run
# every GOVSITE_LINKCHECK_INTERVAL_MINUTES), each link again after GOVSITE_LINKCHECK_RECHECK_DAYS.
GOVSITE_LINKCHECK_HOST_SECONDS = float(env.get("GOVSITE_LINKCHECK_HOST_SECONDS", "10"))
GOVSITE_LINKCHECK_PER_RUN = int(env.get("GOVSITE_LINKCHECK_PER_RUN", "300"))
GOVSITE_LINKCHECK_INTERVAL_MINUTES = int(env.get("GOVSITE_LINKCHECK_INTERVAL_MINUTES", "60"))
GOVSITE_LINKCHECK_RECHECK_DAYS = int(env.get("GOVSITE_LINKCHECK_RECHECK_DAYS", "7"))

# --- Background tasks and upload limits -------------------------------------------------------
# Whole-site rebuilds, attachment text extraction, reindexing and scheduled publishing are
# django-tasks tasks (each app's tasks.py). The database backend keeps them as rows, run once by
# `govsite db_worker` and kept across restarts. GOVSITE_TASK_BACKEND=immediate runs them at once,
# in the request (no worker needed, for a small or test installation).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env.get("GOVSITE_TASK_BACKEND", "database")],
    }
}
# `govsite worker` (core/workers.py): each worker's heartbeat interval; a RUNNING task whose worker has
# not been heard of for the lease is taken back (READY again, or FAILED after the maximum attempts).
GOVSITE_WORKER_HEARTBEAT_SECONDS = float(env.get("GOVSITE_WORKER_HEARTBEAT_SECONDS", "5"))
GOVSITE_WORKER_LEASE_SECONDS = float(env.get("GOVSITE_WORKER_LEASE_SECONDS", "60"))
GOVSITE_TASK_MAX_ATTEMPTS = int(env.get("GOVSITE_TASK_MAX_ATTEMPTS", "3"))
# A full site rebuild on the database backend is split into tasks of this many addresses, which any
# worker takes (publishing/tasks.py).
GOVSITE_REBUILD_CHUNK = int(env.get("GOVSITE_REBUILD_CHUNK", "200"))
# Uploads: documents (attachments) and images are refused above these sizes with Wagtail's own
# message (文件过大…); the text of a document is extracted within content/extract.py's limits.
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(float(env.get("GOVSITE_MAX_DOCUMENT_MB", "50")) * 1024 * 1024)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(float(env.get("GOVSITE_MAX_IMAGE_MB", "10")) * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(env.get("GOVSITE_MAX_IMAGE_PIXELS", str(50_000_000)))
# A request body's form fields other than files (larger bodies get a 400).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(env.get("GOVSITE_MAX_FORM_MB", "10")) * 1024 * 1024)
WAGTAILDOCS_DOCUMENT_FORM_BASE = "govsite.search.forms.SafeDocumentForm"

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.get("GOVSITE_PLATFORM_NAME", "政府网站集约化平台")
# The login form with Chinese labels (Wagtail's has none for the password: Django's "Password").
WAGTAILADMIN_USER_LOGIN_FORM = "govsite.core.forms.LoginForm"
# The page type of a new department site's home page (govsite.sites.provisioning.create_department_site).
GOVSITE_HOME_PAGE_MODEL = "govsite_content.HomePage"
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Wagtail's autosave stays on (its default interval): editors do not lose typed work. The autosave of a
# form armed for a review action is refused (govsite.workflow.wagtail_hooks.refuse_armed_autosave).
# No Gravatar: the admin would send a hash of every editor's e-mail address to a foreign service
# (and the admin CSP blocks the images anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd", "txt", "zip",
]  # fmt: skip
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Alt text (the image description) is required at upload and edit time: docs/accessibility.md.
WAGTAILIMAGES_IMAGE_FORM_BASE = "govsite.versions.forms.AltTextImageForm"
WAGTAILREDIRECTS_AUTO_CREATE = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# --- Logging: errors to stderr, never to the public ------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "WARNING")},
}
