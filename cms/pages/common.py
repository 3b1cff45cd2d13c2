"""What promotional pages share: an OpenGraph image for sharing, and for
fairs and events their dates, venue, organizer and contact."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from cms.blocks import GalleryImageBlock, body_blocks


class PromoPage(Page):
    """Base for marketplace pages: Wagtail's SEO title and meta description
    (in the Promote tab), plus an image for OpenGraph cards."""

    og_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh chia sẻ (OpenGraph)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    promote_panels = Page.promote_panels + [FieldPanel("og_image")]

    class Meta:
        abstract = True


class DatedPageQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Live fairs or events that have not ended yet, soonest first."""
        now = now or timezone.now()
        return self.live().filter(end_at__gte=now).order_by("start_at", "pk")

    def past(self, now=None):
        """Live fairs or events that have ended, most recent first."""
        now = now or timezone.now()
        return self.live().filter(end_at__lt=now).order_by("-start_at", "-pk")


class DatedIndexPage(PromoPage):
    """A section of dated pages (fairs, or events): its upcoming ones, then
    its past ones. Subclasses name their `child_model`."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = PromoPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count = 1
    child_model = None
    past_shown = 24

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # cards show each page's sharing image: load images and renditions together
        children = (
            self.child_model.objects.child_of(self)
            .select_related("og_image")
            .prefetch_related("og_image__renditions")
        )
        context["upcoming"] = children.upcoming()
        context["past"] = children.past()[: self.past_shown]
        return context


class DatedPage(PromoPage):
    """A fair or an event: when, where, who organizes it, how to join."""

    start_at = models.DateTimeField(_("bắt đầu"))
    end_at = models.DateTimeField(_("kết thúc"))
    venue_name = models.CharField(_("địa điểm"), max_length=255)
    venue_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    organizer = models.CharField(_("đơn vị tổ chức"), max_length=255, blank=True)
    intro = models.TextField(_("giới thiệu ngắn"), blank=True)
    body = StreamField(body_blocks(), verbose_name=_("nội dung"), blank=True)
    gallery = StreamField(
        [("image", GalleryImageBlock())], verbose_name=_("thư viện ảnh"), blank=True
    )
    registration_url = models.URLField(_("đăng ký tham gia (đường dẫn)"), blank=True)
    contact_email = models.EmailField(_("email liên hệ"), blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=40, blank=True)

    objects = PageManager.from_queryset(DatedPageQuerySet)()

    dated_panels = [
        FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")], heading=_("Thời gian")),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Địa điểm"),
        ),
        FieldPanel("organizer"),
        FieldPanel("intro"),
    ]
    contact_panels = [
        MultiFieldPanel(
            [
                FieldPanel("registration_url"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Liên hệ và đăng ký"),
        ),
        FieldPanel("gallery"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start_at and self.end_at and self.end_at < self.start_at:
            raise ValidationError({"end_at": _("Thời gian kết thúc phải sau khi bắt đầu.")})

    def is_upcoming(self) -> bool:
        return self.end_at >= timezone.now()
