"""People's names as Chinese readers write them: family name first, no space (赵晓东).

Django's User.get_full_name() is "first last" ("晓东 赵"), and Wagtail shows a user by it everywhere
(get_user_display_name: dashboard, history, workflow, locks, user list). Wagtail has no setting for
the display name and govsite keeps Django's user model, so CoreConfig.ready() points the model's
get_full_name at full_name() below: one rule for every screen.
"""

import re
from typing import Any

# CJK ideographs (with extension A) and the middle dot of transliterated names (阿尔斯兰·巴特尔).
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]")


def full_name(user: Any) -> str:
    """Family name then given name, joined without a space when either is Chinese; else "first last"."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
