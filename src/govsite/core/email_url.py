"""EMAIL_URL: the outgoing mail server (password reset, notifications) in one environment variable.

A few lines of urllib.parse rather than a dependency (dj-email-url has had no release since 2022).
Imported by settings.py, so nothing here may import Django's configured parts.
"""

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
BACKENDS = {
    "smtp": SMTP_BACKEND,
    "smtps": SMTP_BACKEND,
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}


class EmailURLError(ValueError):
    """EMAIL_URL cannot be understood; the message says why (shown when the platform starts)."""


def parse_email_url(url: str, default_file_path: Path | None = None) -> dict[str, Any]:
    """Django EMAIL_* settings from a URL.

    smtp://user:password@host:587/?tls=1   SMTP with STARTTLS (user and password percent-encoded)
    smtps://user:password@host:465/        SMTP over TLS from the first byte
    smtp://host:25/                        plain SMTP (only on a trusted internal relay)
    console://                             print mails to standard output
    file:///var/lib/govsite/mail           write each mail to a file in that directory
    dummy://, memory://                    drop mails; keep them in memory (tests)
    Query options: tls=1, ssl=1, timeout=SECONDS.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise EmailURLError(f"EMAIL_URL: unknown scheme {scheme!r}; use one of {', '.join(sorted(BACKENDS))}")
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(options) - {"tls", "ssl", "timeout"}
    if unknown:
        raise EmailURLError(f"EMAIL_URL: unknown option(s) {', '.join(sorted(unknown))}")
    config: dict[str, Any] = {"EMAIL_BACKEND": BACKENDS[scheme]}
    if scheme == "file":
        path = unquote(parts.netloc + parts.path)
        if path:
            config["EMAIL_FILE_PATH"] = Path(path)
        elif default_file_path is not None:
            config["EMAIL_FILE_PATH"] = default_file_path
        else:
            raise EmailURLError("EMAIL_URL: file:// needs a directory, e.g. file:///var/lib/govsite/mail")
    if scheme not in ("smtp", "smtps"):
        return config

    if not parts.hostname:
        raise EmailURLError("EMAIL_URL: the SMTP server's host name is missing")
    use_ssl = scheme == "smtps" or options.get("ssl", "").lower() in TRUE
    use_tls = options.get("tls", "").lower() in TRUE
    if use_ssl and use_tls:
        raise EmailURLError("EMAIL_URL: choose tls=1 (STARTTLS) or smtps:// (TLS from the start), not both")
    try:
        port = parts.port
    except ValueError as error:
        raise EmailURLError(f"EMAIL_URL: invalid port ({error})") from None
    config.update(
        EMAIL_HOST=parts.hostname,
        EMAIL_PORT=port or (465 if use_ssl else 587 if use_tls else 25),
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_TLS=use_tls,
        EMAIL_USE_SSL=use_ssl,
    )
    if "timeout" in options:
        try:
            config["EMAIL_TIMEOUT"] = float(options["timeout"])
        except ValueError:
            message = f"EMAIL_URL: timeout must be a number of seconds, not {options['timeout']!r}"
            raise EmailURLError(message) from None
    return config
