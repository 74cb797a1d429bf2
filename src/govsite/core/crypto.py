"""Personal data encrypted at rest (等保 2.0 E8): the field types, the keys, and key rotation.

`EncryptedTextField` stores a Fernet token (AES-128-CBC + HMAC-SHA256, a fresh IV per value) in place
of an ID number, phone, e-mail or address; the model attribute holds the plain value, so forms,
templates and masking (core/personal.py) are unchanged. A token cannot be compared, so these fields
refuse every lookup but `isnull`: an equality lookup goes through a `LookupHashField` beside them
(HMAC-SHA256 of the normalised value under GOVSITE_PII_HASH_KEY), e.g.
`Message.objects.filter(phone_hash=lookup_hash(phone))`.

Keys come from the environment: GOVSITE_PII_KEYS is a comma-separated list of Fernet keys, newest
first; values are encrypted with the first and decrypted with any (MultiFernet), so a new key is put in
front, `govsite pii-rotate` re-encrypts every row with it, and the old key is then removed
(docs/personal-data.md). Without the settings a fixed demo key is derived, so a development checkout
runs with nothing set; `check --deploy` refuses that in production (core/checks.py).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
from collections.abc import Callable, Iterator
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.db import connection as default_connection
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

DEMO_KEY_SEED = b"govsite demo personal-data key: never use in production"
DEMO_HASH_SEED = b"govsite demo personal-data lookup key: never use in production"
BATCH = 500


class PIIKeyError(Exception):
    """A stored value cannot be decrypted: the key that wrote it is not in GOVSITE_PII_KEYS (or the
    keys are malformed). Shown to the admin as a clear message (core/middleware.py), never a traceback."""


def demo_key() -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(DEMO_KEY_SEED).digest()).decode()


def configured_keys() -> tuple[str, ...]:
    """GOVSITE_PII_KEYS as set (newest first), or the demo key when nothing is set."""
    keys = tuple(key.strip() for key in getattr(settings, "GOVSITE_PII_KEYS", []) if key.strip())
    return keys or (demo_key(),)


@functools.lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    try:
        fernets = [Fernet(key.encode()) for key in keys]
    except ValueError as exc:  # never echo the key itself
        raise PIIKeyError(
            "GOVSITE_PII_KEYS 中有格式不正确的密钥（应为 32 字节的 URL 安全 Base64）。"
        ) from exc
    return MultiFernet(fernets), fernets[0]


def fernet() -> MultiFernet:
    return _fernets(configured_keys())[0]


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise PIIKeyError(
            "个人信息无法解密：写入它的密钥不在 GOVSITE_PII_KEYS 中，请联系系统管理员。"
        ) from exc


def hash_key() -> bytes:
    key = str(getattr(settings, "GOVSITE_PII_HASH_KEY", "") or "")
    return key.encode() if key else hashlib.sha256(DEMO_HASH_SEED).digest()


def normalise(value: str) -> str:
    """The form compared by a lookup: 0471-632 8766 and 04716328766 are one phone, x and X one ID."""
    return re.sub(r"[\s\-()（）]", "", value).upper()


def lookup_hash(value: str) -> str:
    """The keyed hash stored beside an encrypted value ("" for an empty one) and used to find it."""
    value = normalise(value or "")
    return hmac.new(hash_key(), value.encode(), hashlib.sha256).hexdigest() if value else ""


class EncryptedTextField(models.TextField[str, str]):
    """A text value stored as a Fernet token; `max_length` limits the plain value (forms only).

    An empty value stays empty (its emptiness is no secret, and `blank` keeps its meaning)."""

    description = "Encrypted text (personal data)"

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name: str) -> Any:
        # A token differs on every write: `phone=…` would silently match nothing. Use the hash field.
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, name: str) -> Any:
        return None

    def formfield(self, **kwargs: Any) -> Any:
        options = {"label": self.verbose_name, "max_length": self.max_length, "required": not self.blank}
        return forms.CharField(**{**options, **kwargs})


class LookupHashField(models.CharField[str, str]):
    """The keyed hash of another field's plain value, set on every save (also `bulk_create`)."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.update(max_length=64, editable=False, blank=True, default="")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "editable", "blank", "default"):
            kwargs.pop(key, None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = lookup_hash(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


# Whole columns, in raw SQL: the data migrations (which must see the stored text, plain or token,
# whatever the historical field class does with it) and `govsite pii rotate` use these.


RowFunction = Callable[[dict[str, Any]], str]


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [str(f.column) for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def hash_fields(model: type[models.Model]) -> dict[str, str]:
    """{hash column: source column} of `model`'s LookupHashFields."""
    column = {f.name: str(f.column) for f in model._meta.concrete_fields}
    return {
        str(f.column): column[f.source] for f in model._meta.concrete_fields if isinstance(f, LookupHashField)
    }


def row_hashes(model: type[models.Model], plain: Callable[[str], str]) -> dict[str, RowFunction]:
    """{hash column: the hash of its source's plain value in a row}, `plain` reading the stored value."""

    def hash_of(source: str) -> RowFunction:
        return lambda row: lookup_hash(plain(row[source]) if row[source] else "")

    return {column: hash_of(source) for column, source in hash_fields(model).items()}


def _rows(
    connection: BaseDatabaseWrapper, table: str, pk: str, columns: list[str], after: Any
) -> list[tuple[Any, ...]]:
    quote = connection.ops.quote_name
    selected = ", ".join(quote(c) for c in [pk, *columns])
    sql = f"SELECT {selected} FROM {quote(table)} WHERE {quote(pk)} > %s ORDER BY {quote(pk)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {BATCH}", [after])
        return list(cursor.fetchall())


def rewrite_columns(
    model: type[models.Model],
    columns: list[str],
    change: Callable[[str, dict[str, Any]], str],
    hashes: dict[str, RowFunction] | None = None,
    connection: BaseDatabaseWrapper = default_connection,
) -> Iterator[int]:
    """Pass every non-empty stored value of `columns` through `change(stored, row)` and write back what
    differs, one batch per transaction (an interrupted run is simply run again). `hashes`: {hash column:
    plain-value function of the row} also written. Yields the number of rows changed per batch."""
    table, pk = model._meta.db_table, str(model._meta.pk.column)
    quote = connection.ops.quote_name
    wanted = list(dict.fromkeys([*columns, *(hashes or {})]))
    after: Any = 0
    while rows := _rows(connection, table, pk, wanted, after):
        changed = 0
        with transaction.atomic(using=connection.alias):
            for row in rows:
                after, values = row[0], dict(zip(wanted, row[1:], strict=True))
                update = {c: change(values[c], values) for c in columns if values[c]}
                update.update({c: plain(values) for c, plain in (hashes or {}).items()})
                update = {c: v for c, v in update.items() if v != values[c]}
                if update:
                    assignments = ", ".join(f"{quote(c)} = %s" for c in update)
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s",  # noqa: S608
                            [*update.values(), after],
                        )
                    changed += 1
        yield changed


def current_token(token: str) -> str:
    """`token` re-encrypted under the newest key; unchanged when the newest key wrote it already."""
    multi, newest = _fernets(configured_keys())
    try:
        newest.decrypt(token.encode("ascii"))
        return token
    except InvalidToken:
        pass
    try:
        return multi.rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise PIIKeyError("有个人信息无法用 GOVSITE_PII_KEYS 中的任何密钥解密，轮换已停止。") from exc


def _as_plain(stored: str) -> str:
    """A stored value that may be plain (written before encryption) or a token already."""
    try:
        return decrypt(stored)
    except PIIKeyError:
        return stored


def migrate_plain_to_encrypted(model: type[models.Model], connection: BaseDatabaseWrapper) -> int:
    """Data migration forward: encrypt the plain values stored before the fields were encrypted and
    fill the lookup hashes (`model` is the historical model). A value that is a token already is
    left as it is, so the step can be run again."""
    hashes = row_hashes(model, _as_plain)

    def change(stored: str, row: dict[str, Any]) -> str:
        plain = _as_plain(stored)
        return stored if plain != stored else encrypt(plain)

    return sum(rewrite_columns(model, encrypted_fields(model), change, hashes, connection))


def migrate_encrypted_to_plain(model: type[models.Model], connection: BaseDatabaseWrapper) -> int:
    """Data migration backward: decrypt in place (the plain columns' lengths were validated on input)."""
    return sum(
        rewrite_columns(model, encrypted_fields(model), lambda token, row: decrypt(token), None, connection)
    )
