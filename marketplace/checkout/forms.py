"""The checkout form: contact, a Vietnamese address, payment and pickup."""

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.order.models import PaymentMethod
from marketplace.registry.addresses import PROVINCES_2025


def vietnamese_phone(value: str) -> str:
    """A valid Vietnamese phone number, as E.164 (+84…)."""
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException as exc:
        raise forms.ValidationError(_("Số điện thoại không hợp lệ.")) from exc
    if not phonenumbers.is_valid_number(number) or number.country_code != 84:
        raise forms.ValidationError(_("Hãy nhập số điện thoại Việt Nam, ví dụ 0912 345 678."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class CheckoutForm(forms.Form):
    name = forms.CharField(
        label=_("Họ và tên người nhận"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (nhận xác nhận đơn hàng)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    province = forms.ChoiceField(label=_("Tỉnh/thành phố"), required=False)
    ward = forms.CharField(label=_("Xã/phường"), max_length=100, required=False)
    street = forms.CharField(
        label=_("Số nhà, tên đường"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    notes = forms.CharField(
        label=_("Ghi chú cho người giao hàng"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    payment = forms.ChoiceField(label=_("Thanh toán"), widget=forms.RadioSelect)
    pickup = forms.MultipleChoiceField(
        label=_("Nhận tại cơ sở (miễn phí vận chuyển)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args,
        needs_address=True,
        needs_email=True,
        card=False,
        bank_transfer=False,
        pickup_choices=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.needs_address = needs_address
        self.fields["province"].choices = [("", _("— Chọn tỉnh/thành —"))] + [
            (name, name) for name in PROVINCES_2025
        ]
        self.fields["email"].required = needs_email
        payments = [(PaymentMethod.COD, _("Thanh toán khi nhận hàng (COD)"))]
        if bank_transfer:
            payments.append((PaymentMethod.VIETQR, _("Chuyển khoản ngân hàng (VietQR)")))
        if card:
            payments.append((PaymentMethod.CARD, _("Thẻ ngân hàng / thẻ quốc tế")))
        self.fields["payment"].choices = payments
        self.fields["payment"].initial = PaymentMethod.COD
        self.fields["pickup"].choices = list(pickup_choices)
        if not pickup_choices:
            del self.fields["pickup"]
        for name in ("province", "ward", "street"):
            self.fields[name].required = needs_address

    def clean_phone(self):
        return vietnamese_phone(self.cleaned_data["phone"])

    def pickup_ids(self) -> frozenset[int]:
        return frozenset(int(v) for v in self.cleaned_data.get("pickup", []))
