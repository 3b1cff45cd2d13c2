"""Warning producers before their certificates expire.

An OCOP certificate is valid 36 months, and the issuer must warn the
producer at least 30 days before expiry (design.md §7). Expiry itself needs
no job: the listing rule compares dates at query time. This mailer only
tells the producer in time to be re-rated.
"""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils.formats import date_format

from marketplace.ocop.dates import today_in_vietnam
from marketplace.ocop.models import Certificate
from marketplace.registry.models import ExpiryWarning

EXPIRY_WARNING_DAYS = (7, 30, 90)


def expiry_warnings_send(*, today=None) -> int:
    """Mail each producer once per threshold (90, 30, 7 days) before a
    certificate expires; returns how many mails went out.

    Only the nearest threshold applies, so a certificate first seen with 20
    days left gets the 30-day warning and never a late 90-day one. The
    warning row is written in the same transaction as the send, so a retry
    after a crash cannot mail twice for the same threshold.
    """
    today = today or today_in_vietnam()
    horizon = today + timedelta(days=max(EXPIRY_WARNING_DAYS))
    sent = 0
    candidates = Certificate.objects.expiring_between(today, horizon).select_related("producer")
    for cert in candidates:
        days_left = (cert.expiry_date - today).days
        threshold = min(t for t in EXPIRY_WARNING_DAYS if days_left <= t)
        if not cert.producer.email:
            continue
        with transaction.atomic():
            _warning, created = ExpiryWarning.objects.get_or_create(
                certificate=cert, days_before=threshold, expiry_date=cert.expiry_date
            )
            if not created:
                continue
            expiry = date_format(cert.expiry_date, "SHORT_DATE_FORMAT")
            send_mail(
                subject=f"[Chợ OCOP] Chứng nhận {cert.number} hết hạn sau {days_left} ngày",
                message=(
                    f"Kính gửi {cert.producer.name},\n\n"
                    f"Chứng nhận OCOP số {cert.number} của sản phẩm “{cert.name}” "
                    f"({cert.stars} sao) sẽ hết hạn vào ngày {expiry}, còn {days_left} ngày.\n"
                    "Sau ngày này sản phẩm sẽ tự động ngừng bán trên Chợ OCOP và không được "
                    "sử dụng nhãn OCOP. Vui lòng liên hệ cơ quan cấp chứng nhận để đánh giá lại.\n"
                ),
                from_email=None,
                recipient_list=[cert.producer.email],
            )
            sent += 1
    return sent
