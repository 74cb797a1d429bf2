from typing import Any

from django.core.management.base import BaseCommand

from govsite.versions.pinyin_data import OUTPUT, render_script


class Command(BaseCommand):
    help = "Regenerate versions/static/versions/pinyin.js (the 大字幕 pinyin table) from pypinyin."

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_script()
        OUTPUT.write_text(text, encoding="utf-8")
        self.stdout.write(f"{OUTPUT}: {len(text.encode('utf-8'))} bytes")
