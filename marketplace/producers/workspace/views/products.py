"""The producer's products: list with certificate standing, edit of the
producer-owned fields, price and stock, photos, and the producer profile.

Products are found through `Product.objects.of_producer(workspace producer)`,
so another producer's product id is a 404 and nothing is written.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from catalogue.listing import listing_status
from marketplace.core import request_params
from marketplace.ocop.dates import today_in_vietnam
from marketplace.producers.workspace import services
from marketplace.producers.workspace.access import workspace_render, workspace_view
from marketplace.producers.workspace.forms import (
    ImageUploadForm,
    ProducerProfileForm,
    ProductEditForm,
)
from marketplace.producers.workspace.standing import certificate_standing

Product = get_model("catalogue", "Product")


def _own_products(request):
    return (
        Product.objects.of_producer(request.workspace.producer)
        .select_related("certificate")
        .prefetch_related("stockrecords", "images")
    )


def _own_stock(product, producer):
    return next(
        (s for s in product.stockrecords.all() if s.partner_id == producer.partner_id), None
    )


@workspace_view
def product_list(request):
    producer = request.workspace.producer
    today = today_in_vietnam()
    products = _own_products(request).order_by("title")
    listable = set(
        Product.objects.listable(today)
        .filter(certificate__producer=producer)
        .values_list("pk", flat=True)
    )
    page = Paginator(products, 50).get_page(request_params.page_number(request.GET.get("page")))
    rows = [
        {
            "product": product,
            "stock": _own_stock(product, producer),
            "standing": certificate_standing(product.certificate, today),
            "listed": product.pk in listable,
        }
        for product in page
    ]
    return workspace_render(
        request, "producers/workspace/product_list.html", {"page": page, "rows": rows}
    )


def _edit_page(request, product, form, image_form):
    producer = request.workspace.producer
    return workspace_render(
        request,
        "producers/workspace/product_edit.html",
        {
            "product": product,
            "certificate": product.certificate,
            "stock": _own_stock(product, producer),
            "standing": certificate_standing(product.certificate, today_in_vietnam()),
            "listing": listing_status(product),
            "form": form,
            "image_form": image_form,
            "max_images": services.MAX_IMAGES_PER_PRODUCT,
        },
    )


@workspace_view
def product_edit(request, pk: int):
    product = get_object_or_404(_own_products(request), pk=pk)
    stock = _own_stock(product, request.workspace.producer)
    initial = {
        "price": int(stock.price) if stock and stock.price is not None else None,
        "num_in_stock": stock.num_in_stock if stock else 0,
    }
    form = ProductEditForm(request.POST or None, instance=product, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.product_edit(
                workspace=request.workspace,
                actor=request.user,
                product=product,
                fields=form.product_fields(),
                price=form.cleaned_data["price"],
                num_in_stock=form.cleaned_data["num_in_stock"],
            )
        except services.WorkspaceRefused as refused:
            form.add_error("num_in_stock", str(refused))
        else:
            if change:
                messages.success(request, _("Đã lưu “%(title)s”.") % {"title": product.title})
            else:
                messages.info(request, _("Không có gì thay đổi."))
            return redirect("workspace:product-edit", pk=product.pk)
    if request.method == "POST":
        # the ModelForm wrote the posted values onto the instance while
        # validating; show the page from the database's copy
        product = get_object_or_404(_own_products(request), pk=pk)
    return _edit_page(request, product, form, ImageUploadForm())


@workspace_view
@require_POST
def image_add(request, pk: int):
    product = get_object_or_404(_own_products(request), pk=pk)
    image_form = ImageUploadForm(request.POST, request.FILES)
    if image_form.is_valid():
        try:
            services.product_image_add(
                workspace=request.workspace,
                actor=request.user,
                product=product,
                image=image_form.cleaned_data["image"],
            )
        except services.WorkspaceRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Đã thêm ảnh."))
        return redirect("workspace:product-edit", pk=product.pk)
    messages.error(request, " ".join(image_form.errors.get("image", [])))
    form = ProductEditForm(instance=product, initial={})
    stock = _own_stock(product, request.workspace.producer)
    form.initial.update(
        price=int(stock.price) if stock and stock.price is not None else None,
        num_in_stock=stock.num_in_stock if stock else 0,
    )
    return _edit_page(request, product, form, image_form)


@workspace_view
@require_POST
def image_delete(request, pk: int, image_pk: int):
    product = get_object_or_404(_own_products(request), pk=pk)
    get_object_or_404(product.images.all(), pk=image_pk)
    try:
        services.product_image_remove(
            workspace=request.workspace, actor=request.user, product=product, image_id=image_pk
        )
    except services.WorkspaceRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã xoá ảnh."))
    return redirect("workspace:product-edit", pk=product.pk)


@workspace_view
def profile_edit(request):
    producer = request.workspace.producer
    form = ProducerProfileForm(
        request.POST or None,
        initial={"story": producer.story, "allows_pickup": producer.allows_pickup},
    )
    if request.method == "POST" and form.is_valid():
        change = services.producer_profile_edit(
            workspace=request.workspace,
            actor=request.user,
            story=form.cleaned_data["story"],
            allows_pickup=form.cleaned_data["allows_pickup"],
        )
        messages.success(request, _("Đã lưu hồ sơ.") if change else _("Không có gì thay đổi."))
        return redirect("workspace:profile")
    return workspace_render(request, "producers/workspace/profile.html", {"form": form})
