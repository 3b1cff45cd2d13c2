import pytest
from django.contrib.auth import get_user_model

PASSWORD = "đúng-mật-khẩu-2025"


@pytest.fixture
def shopper(db):
    return get_user_model().objects.create_user(
        username="lan", email="lan@example.vn", password=PASSWORD
    )


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser(
        username="vanhanh", email="vanhanh@ocop.local", password=PASSWORD
    )
