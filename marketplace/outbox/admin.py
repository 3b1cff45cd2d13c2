"""Operators can see work that is waiting or keeps failing, and why."""

from django.contrib import admin

from marketplace.outbox.models import OutboxTask, ProductReindex


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = ("pk", "name", "created_at", "done_at", "attempts", "last_error")
    list_filter = ("name", ("done_at", admin.EmptyFieldListFilter))
    readonly_fields = ("name", "payload", "created_at", "done_at", "attempts", "last_error")

    def has_add_permission(self, request):
        return False


@admin.register(ProductReindex)
class ProductReindexAdmin(admin.ModelAdmin):
    list_display = ("product_id", "requested_at")
    readonly_fields = ("product_id", "requested_at")

    def has_add_permission(self, request):
        return False
