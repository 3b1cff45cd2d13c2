from django.urls import path

from marketplace.producers.workspace.views import history, parcels, products, summary, support

app_name = "workspace"

urlpatterns = [
    path("", summary.summary, name="summary"),
    path("products/", products.product_list, name="product-list"),
    path("products/<int:pk>/", products.product_edit, name="product-edit"),
    path("products/<int:pk>/images/", products.image_add, name="image-add"),
    path(
        "products/<int:pk>/images/<int:image_pk>/delete/",
        products.image_delete,
        name="image-delete",
    ),
    path("profile/", products.profile_edit, name="profile"),
    path("parcels/", parcels.parcel_list, name="parcel-list"),
    path("parcels/<int:pk>/", parcels.parcel_detail, name="parcel-detail"),
    path("parcels/<int:pk>/move/", parcels.parcel_move_view, name="parcel-move"),
    path("history/", history.change_list, name="history"),
    path("support/<int:producer_pk>/start/", support.support_start, name="support-start"),
    path("support/end/", support.support_end, name="support-end"),
]
