"""The certificate half of the listing rule: 3★ and up, valid, and in date
from the decision's signing to its expiry (36 months unless the registry
says otherwise)."""

from datetime import date

import pytest

from marketplace.ocop.models import Certificate, CertificateStatus, expiry_from_issue
from tests.factories import certified_product_create

ISSUED = date(2025, 3, 1)


def test_a_certificate_runs_36_months_from_signing():
    assert expiry_from_issue(ISSUED) == date(2028, 3, 1)
    assert expiry_from_issue(date(2024, 2, 29)) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("fields", "on", "state"),
    [
        ({}, date(2026, 1, 1), "valid"),
        ({}, date(2025, 2, 28), "pending"),
        ({}, date(2028, 3, 1), "valid"),
        ({}, date(2028, 3, 2), "expired"),
        ({"stars": 2}, date(2026, 1, 1), "uncertified"),
        ({"status": CertificateStatus.WITHDRAWN}, date(2026, 1, 1), "withdrawn"),
        ({"status": CertificateStatus.SUSPENDED}, date(2026, 1, 1), "suspended"),
    ],
)
def test_state_on_says_why(fields, on, state):
    fields = {"stars": 4, "status": CertificateStatus.VALID} | fields
    certificate = Certificate(issued_on=ISSUED, expiry_date=expiry_from_issue(ISSUED), **fields)
    assert certificate.state_on(on) == state


@pytest.mark.django_db
def test_valid_on_agrees_with_state_on():
    # given certificates in each state
    made = [
        certified_product_create(issued_on=ISSUED, **fields).certificate
        for fields in ({}, {"stars": 2}, {"status": "withdrawn"}, {"expiry_date": date(2025, 6, 1)})
    ]
    on = date(2026, 1, 1)
    # when the queryset asks the rule
    valid = set(Certificate.objects.filter(pk__in=[c.pk for c in made]).valid_on(on))
    # then it picks exactly those whose state is valid
    assert valid == {c for c in made if c.state_on(on) == "valid"}
    assert len(valid) == 1
