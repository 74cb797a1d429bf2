"""System checks of the personal-data keys (等保 E8, core/crypto.py).

Always: every key in GOVSITE_PII_KEYS is a well-formed Fernet key (a typo would otherwise surface as
unreadable data). With `--deploy`: both keys are set from the environment, not the demo defaults.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from .crypto import PIIKeyError, _fernets, configured_keys


@register(Tags.security)
def pii_keys_well_formed(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        _fernets(configured_keys())
    except PIIKeyError as exc:
        return [Error(str(exc), hint="用 `govsite pii keygen` 生成密钥。", id="govsite.E801")]
    return []


@register(Tags.security, deploy=True)
def pii_keys_from_environment(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if not getattr(settings, "GOVSITE_PII_KEYS", None):
        problems.append(
            Error(
                "GOVSITE_PII_KEYS 未设置：个人信息正在用演示密钥加密。",
                hint="生产环境必须从环境变量设置 GOVSITE_PII_KEYS（`govsite pii keygen`）。",
                id="govsite.E802",
            )
        )
    if not getattr(settings, "GOVSITE_PII_HASH_KEY", ""):
        problems.append(
            Error(
                "GOVSITE_PII_HASH_KEY 未设置：个人信息的查找散列正在使用演示密钥。",
                hint="生产环境必须从环境变量设置 GOVSITE_PII_HASH_KEY（`govsite pii keygen`）。",
                id="govsite.E803",
            )
        )
    return problems
