from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace.registry.uploads import UploadRefused, upload_check

ACCEPT = ",".join(
    (
        ".xlsx",
        ".csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/csv",
    )
)


class DecisionListUploadForm(forms.Form):
    """A province's decision list, refused at the door when its size or type
    is wrong: nothing reads a spreadsheet that fails here."""

    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "form-control-file"}),
        error_messages={
            "required": _("Hãy chọn tệp danh sách."),
            "empty": _("Tệp trống."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            upload_check(upload=upload, max_bytes=settings.REGISTRY_UPLOAD_MAX_BYTES)
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused), code="refused") from None
        return upload
