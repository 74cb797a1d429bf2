"""Build govsite's message catalogues (.po → .mo) in Python, without gettext's msgfmt.

Django reads only compiled .mo files, and `compilemessages` needs msgfmt, a system program a fresh
Debian lacks. polib (pinned in pyproject.toml) writes the same files. The .mo files are build
output (.gitignore): `make install` runs this module, and so does the test session (conftest.py),
so `make run`, `make test` and CI always serve the current translations. Stdlib-only at import
time apart from polib: it runs before Django is set up.

    python -m govsite.core.catalogues        # build the .mo files that are missing or older than their .po
"""

from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def stale_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The .po files whose .mo is missing or older."""
    stale = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write the .mo of every stale .po (atomically: a running server never reads half a file)."""
    import os

    import polib

    built = []
    for po in stale_catalogues(locale_dir):
        mo = po.with_suffix(".mo")
        partial = mo.with_suffix(f".mo.{os.getpid()}.tmp")  # two test passes may compile at once
        polib.pofile(str(po)).save_as_mofile(str(partial))
        partial.replace(mo)
        built.append(mo)
    return built


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"已编译 {path.relative_to(LOCALE_DIR.parent)}")
