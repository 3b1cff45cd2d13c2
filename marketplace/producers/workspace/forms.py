"""Workspace forms. Each names only producer-owned fields, so a crafted POST
carrying `title`, `certificate` or `stars` has nowhere to land."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

MIN_PRICE = Decimal("1000")
MAX_PRICE = Decimal("1000000000")


class ProductEditForm(forms.ModelForm):
    """The product's own words and weight, plus its price and stock."""

    price = forms.DecimalField(
        label=_("Giá bán (₫)"),
        required=False,
        min_value=MIN_PRICE,
        max_value=MAX_PRICE,
        help_text=_("Để trống nếu chưa bán. Giá gồm thuế, tính bằng đồng."),
    )
    num_in_stock = forms.IntegerField(
        label=_("Số lượng trong kho"), min_value=0, max_value=1_000_000
    )

    class Meta:
        model = Product
        fields = ["description", "story", "weight_grams"]
        labels = {"description": _("Mô tả")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "story": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_price(self):
        price = self.cleaned_data["price"]
        if price is None:
            return None
        if price != price.to_integral_value():
            raise forms.ValidationError(_("Giá tính bằng đồng, không có phần lẻ."))
        return price.quantize(Decimal(1))

    def product_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ImageUploadForm(forms.Form):
    """One product photo: a real image (Pillow opens it), under the limit."""

    image = forms.ImageField(
        label=_("Ảnh sản phẩm"),
        error_messages={
            "invalid_image": _("Tệp này không phải ảnh (chỉ nhận JPEG, PNG, WebP, GIF)."),
            "required": _("Hãy chọn một ảnh."),
        },
    )

    def clean_image(self):
        image = self.cleaned_data["image"]
        limit = settings.PRODUCT_IMAGE_MAX_BYTES
        if image.size > limit:
            raise forms.ValidationError(
                _("Ảnh quá lớn (%(size)s); giới hạn là %(limit)s.")
                % {"size": filesizeformat(image.size), "limit": filesizeformat(limit)}
            )
        kind = (getattr(image, "image", None) and image.image.format or "").upper()
        if kind not in {"JPEG", "PNG", "WEBP", "GIF"}:
            raise forms.ValidationError(self.fields["image"].error_messages["invalid_image"])
        return image


class ProducerProfileForm(forms.Form):
    story = forms.CharField(
        label=_("Câu chuyện của chủ thể"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
    )
    allows_pickup = forms.BooleanField(
        label=_("Cho khách nhận hàng tại cơ sở (miễn phí vận chuyển)"), required=False
    )
