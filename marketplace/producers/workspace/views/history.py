"""Who changed what in this producer's workspace, and when: the producer's
own members and operators acting as support alike."""

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from marketplace.core import request_params
from marketplace.producers.workspace.access import workspace_render, workspace_view

FIELD_LABELS = {
    "description": _("Mô tả"),
    "story": _("Câu chuyện"),
    "weight_grams": _("Khối lượng (g)"),
    "price": _("Giá bán"),
    "num_in_stock": _("Số lượng trong kho"),
    "image_added": _("Thêm ảnh"),
    "image_removed": _("Xoá ảnh"),
    "allows_pickup": _("Nhận tại cơ sở"),
    "status": _("Trạng thái"),
    "tracking_number": _("Mã vận đơn"),
    "carrier": _("Đơn vị vận chuyển"),
}


@workspace_view
def change_list(request):
    changes = request.workspace.producer.workspace_changes.all()
    page = Paginator(changes, 50).get_page(request_params.page_number(request.GET.get("page")))
    rows = [
        (
            change,
            [
                (FIELD_LABELS.get(field, field), old, new)
                for field, (old, new) in change.changes.items()
            ],
        )
        for change in page
    ]
    return workspace_render(
        request, "producers/workspace/history.html", {"page": page, "rows": rows}
    )
