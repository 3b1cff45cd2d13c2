from django.urls import path

from marketplace.payments.dashboard import views

app_name = "payments-dashboard"

urlpatterns = [path("<str:number>/refund/", views.order_refund, name="order-refund")]
