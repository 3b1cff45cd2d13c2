from django.urls import path

from marketplace.producers import views

app_name = "producers"

urlpatterns = [
    path("nhan-tai-khoan/", views.claim_find, name="claim-find"),
    path("nhan-tai-khoan/<int:pk>/gui-ma/", views.claim_send, name="claim-send"),
    path("nhan-tai-khoan/<int:pk>/", views.claim_code, name="claim-code"),
    path("<int:pk>/", views.producer_shop, name="shop"),
]
