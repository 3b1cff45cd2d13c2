from django.urls import path

from marketplace.payments.dashboard import views

app_name = "payments-dashboard"

urlpatterns = [
    path("chuyen-khoan/", views.transfer_list, name="transfers"),
    path("chuyen-khoan/<int:pk>/hoan-tien/", views.transfer_refund, name="transfer-refund"),
    path("<str:number>/refund/", views.order_refund, name="order-refund"),
]
