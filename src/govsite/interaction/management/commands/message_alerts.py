"""`govsite message_alerts`: the 留言's deadline reminders, 督办 and 60-day alerts now (`govsite scheduler`
queues them daily by itself; this command is for a platform without it, or to check at once)."""

from typing import Any

from django.core.management.base import BaseCommand

from govsite.interaction.services import send_alerts


class Command(BaseCommand):
    help = "发送留言办理期限提醒、超期督办和 60 天严重超期预警（每天运行一次）。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_alerts()
        summary = (
            "，".join(f"{level.label} {count} 条" for level, count in sorted(sent.items())) or "无需提醒"
        )
        self.stdout.write(summary)
