"""Password rules for 等保 level 3: length alone is not enough, mix character classes."""

import string

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """Require characters from at least `min_classes` of: lower, upper, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or c.isspace() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                "密码必须包含小写字母、大写字母、数字、特殊字符中的至少%(n)d类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"密码必须包含小写字母、大写字母、数字、特殊字符中的至少{self.min_classes}类。"
