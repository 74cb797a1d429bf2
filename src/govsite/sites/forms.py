"""Admin forms of the sites app."""

from wagtail.admin.forms import WagtailAdminModelForm

from govsite.core.media_access import MediaAccessFormMixin


class SiteProfileForm(MediaAccessFormMixin, WagtailAdminModelForm):
    """Site settings name images (公众号二维码, 党政机关标识) by id: only the department's own may be used."""
