"""发布目标 in the admin, and delivery's options of `govsite publish`.

Targets decide where every site's pages go, so they are the platform's, not a department's: the model
permissions `govsite_delivery.*` are given to no group, which leaves them to superusers.
"""

from typing import Any

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .commands import PublishOptions
from .models import Target
from .panels import KindFieldPanel, KindMultiFieldPanel

KIND = Target.Kind


class TargetViewSet(SnippetViewSet):
    model = Target
    icon = "site"
    menu_label = "发布目标"
    add_to_settings_menu = True
    list_display = ["name", "kind", "site", "location", "enabled"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("site"),
        KindFieldPanel("location", kinds=(KIND.DIRECTORY, KIND.RSYNC)),
        KindMultiFieldPanel(
            [FieldPanel("ssh_port"), FieldPanel("ssh_key"), FieldPanel("ssh_known_hosts")],
            heading="SSH（rsync）",
            kinds=(KIND.RSYNC,),
        ),
        KindMultiFieldPanel(
            [
                FieldPanel("s3_endpoint"),
                FieldPanel("s3_bucket"),
                FieldPanel("s3_prefix"),
                FieldPanel("s3_region"),
                FieldPanel("s3_access_key_id"),
                FieldPanel("s3_secret_env"),
            ],
            heading="S3对象存储（S3类型）",
            kinds=(KIND.S3,),
        ),
        FieldPanel("enabled"),
    ]


register_snippet(TargetViewSet)


@hooks.register("govsite_publish_command")
def publish_options() -> Any:
    return PublishOptions()


@hooks.register("insert_editor_js")
def target_kind_js() -> SafeString:
    """Switches the 发布目标 form's fields with its 类型 at once (it does nothing on other forms)."""
    return format_html('<script src="{}" defer></script>', static("delivery/target_kind.js"))
