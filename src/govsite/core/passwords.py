"""Password rules for 等保 level 3: length alone is not enough, mix character classes."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message.

    Django 5.2 changed the message's msgid and its zh_Hans catalogue has not caught up, so the
    error would otherwise appear in English on a Chinese admin.
    """

    def get_error_message(self) -> str:
        return f"密码长度太短，至少需要{self.min_length}个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要{self.min_length}个字符。"


class CharacterClassValidator:
    """Require characters from at least `min_classes` of: lower, upper, digits, symbols.

    Anything that is not a cased letter or a digit counts as a symbol: ASCII punctuation and
    spaces, full-width punctuation such as ！ and ，, and Chinese characters.
    """

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.islower() or c.isupper() or c.isdigit()) for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                "密码必须包含小写字母、大写字母、数字、特殊字符中的至少%(n)d类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"密码必须包含小写字母、大写字母、数字、特殊字符中的至少{self.min_classes}类。"
