"""The one door to payOS (VietQR bank transfer), through its official SDK.

Services receive a `PayosClient` instead of importing `payos`, so tests and
`make run` point it at the stand-in (`PAYOS_BASE_URL`) and production at
payOS with the same code. Every SDK failure (payOS down, slow, refusing,
answering with a bad signature) surfaces as `PayosUnavailable`, the one
error a caller has to handle: the checkout then says so in Vietnamese and
offers COD.
"""

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from payos import APIError, PayOS, PayOSError, WebhookError
from payos.types import CreatePaymentLinkRequest

MAX_ORDER_CODE = 9007199254740991  # payOS: a JavaScript safe integer
MAX_AMOUNT = 10**13
ORDER_CODE_TAKEN = "231"  # payOS: "Đơn thanh toán đã tồn tại"
REFERENCE_LENGTH = 64  # PaymentAttempt.bank_reference
RAW_REFERENCE_LENGTH = 500  # what is kept of a reference that had to be cleaned


class PayosNotConfigured(RuntimeError):
    """VietQR used without PAYOS_CLIENT_ID, PAYOS_API_KEY and PAYOS_CHECKSUM_KEY."""


class PayosUnavailable(RuntimeError):
    """payOS did not answer, or answered with an error or a bad signature."""


class PayosOrderCodeTaken(PayosUnavailable):
    """payOS already has a request under this orderCode (code 231): one
    opened by a try whose answer never reached us (a timeout)."""


class PayosWebhookRefused(ValueError):
    """A webhook body that is not JSON, not payOS's shape, or wrongly signed."""


def payos_configured() -> bool:
    return bool(settings.PAYOS_CLIENT_ID and settings.PAYOS_API_KEY and settings.PAYOS_CHECKSUM_KEY)


@dataclass(frozen=True)
class PaymentRequest:
    """What payOS gives back for a new payment request: the QR and the
    account the shopper's bank app pays into."""

    order_code: int
    payment_link_id: str
    amount: int
    description: str
    bin: str
    account_number: str
    account_name: str
    checkout_url: str
    qr_code: str
    expired_at: int | None


@dataclass(frozen=True)
class Transfer:
    """One bank transaction that reached the merchant's account for a
    payment request, from a verified webhook or from payOS's record of the
    request (the return page)."""

    order_code: int
    amount: int
    reference: str
    currency: str = "VND"
    # what the bank sent, when `reference` had to be cleaned to be kept
    raw_reference: str = ""


@dataclass(frozen=True)
class RequestState:
    """What payOS says of a payment request: its status (PENDING, PAID,
    UNDERPAID, CANCELLED, EXPIRED, ...) and the bank transactions it has."""

    status: str
    transfers: tuple[Transfer, ...] = ()


@dataclass(frozen=True)
class PayosClient:
    """A thin, typed wrapper over `payos.PayOS` for what the shop needs."""

    sdk: PayOS

    @classmethod
    def from_settings(cls) -> "PayosClient":
        if not payos_configured():
            raise PayosNotConfigured("PAYOS_* keys are not set; VietQR is off")
        return cls(
            sdk=PayOS(
                client_id=settings.PAYOS_CLIENT_ID,
                api_key=settings.PAYOS_API_KEY,
                checksum_key=settings.PAYOS_CHECKSUM_KEY,
                base_url=settings.PAYOS_BASE_URL or None,
                timeout=settings.PAYOS_TIMEOUT,
                # a shopper is waiting: one quick retry, then COD is offered
                max_retries=1,
            )
        )

    def payment_request_create(
        self,
        *,
        order_code: int,
        amount: int,
        description: str,
        return_url: str,
        cancel_url: str,
        expires_at: datetime,
        buyer_name: str = "",
        buyer_phone: str = "",
    ) -> PaymentRequest:
        """Open a payment request; `description` is the transfer content
        (payOS allows 25 characters)."""
        request = CreatePaymentLinkRequest(
            order_code=order_code,
            amount=amount,
            description=description,
            return_url=return_url,
            cancel_url=cancel_url,
            expired_at=int(expires_at.timestamp()),
            buyer_name=buyer_name or None,
            buyer_phone=buyer_phone or None,
        )
        answer = self._call(self.sdk.payment_requests.create, request)
        return PaymentRequest(
            order_code=answer.order_code,
            payment_link_id=answer.payment_link_id,
            amount=answer.amount,
            description=answer.description,
            bin=answer.bin,
            account_number=answer.account_number,
            account_name=answer.account_name,
            checkout_url=answer.checkout_url,
            qr_code=answer.qr_code,
            expired_at=answer.expired_at,
        )

    def payment_request_transfers(self, order_code: int) -> list[Transfer]:
        """The bank transactions payOS has recorded for a request, one
        `Transfer` each, as its webhooks would report them (the return page
        asks this rather than trusting its query string)."""
        return list(self.payment_request_state(order_code).transfers)

    def payment_request_state(self, order_code: int) -> RequestState:
        """payOS's record of a request: its status and its transactions."""
        return _state(self._call(self.sdk.payment_requests.get, order_code))

    def payment_request_cancel(self, order_code: int, reason: str) -> RequestState:
        """Cancel an unpaid request; its state at payOS afterwards. payOS
        refuses (`PayosUnavailable`) a request that has transactions."""
        return _state(self._call(self.sdk.payment_requests.cancel, order_code, reason))

    def webhook_confirm(self, url: str) -> dict[str, Any]:
        """Register the shop's webhook URL (payOS sends it a test first)."""
        return self._call(self.sdk.webhooks.confirm, url).model_dump()

    def webhook_transfer(self, body: bytes) -> Transfer:
        """The transfer a webhook reports, once the SDK has checked its
        signature with the checksum key; `PayosWebhookRefused` otherwise."""
        try:
            data = self.sdk.webhooks.verify(body)
        except (WebhookError, UnicodeDecodeError, TypeError, ValueError, RecursionError) as error:
            # RecursionError: JSON nested deeper than the parser goes ("[" × 50 000)
            raise PayosWebhookRefused(f"{type(error).__name__}: {error}") from error
        if data.code != "00":
            raise PayosWebhookRefused(f"webhook reports code {data.code!r}")
        # signed is not yet well-formed: a key leaked to a test tool may sign
        # anything, and PostgreSQL refuses NUL and integers past 64 bits
        if not 0 < data.order_code <= MAX_ORDER_CODE or not 0 < data.amount <= MAX_AMOUNT:
            raise PayosWebhookRefused("orderCode or amount out of range")
        if data.currency != "VND":
            raise PayosWebhookRefused("currency other than VND")
        # the signature holds, so the money is kept whatever the bank's
        # reference looks like: cleaned to fit, what was sent kept beside it
        return _transfer(data.order_code, data.amount, data.reference, data.currency)

    @staticmethod
    def _call(method, *args):
        try:
            return method(*args)
        except APIError as error:
            if error.error_code == ORDER_CODE_TAKEN:
                raise PayosOrderCodeTaken(str(error)) from error
            raise PayosUnavailable(f"{type(error).__name__}: {error}") from error
        except PayOSError as error:
            raise PayosUnavailable(f"{type(error).__name__}: {error}") from error
        except (OSError, TypeError, ValueError) as error:  # a garbled answer
            raise PayosUnavailable(f"{type(error).__name__}: {error}") from error


def _state(link) -> RequestState:
    return RequestState(
        status=str(link.status),
        transfers=tuple(
            _transfer(link.order_code, t.amount, t.reference)
            for t in link.transactions or ()
            if 0 < t.amount <= MAX_AMOUNT
        ),
    )


def reference_clean(raw: str) -> str:
    """A bank reference fit to store and compare: no control characters
    (NUL, which PostgreSQL refuses, included), at most 64 characters. One
    cut short keeps a digest of the whole, so two long references sharing
    their start stay two transfers; one with nothing left is its digest."""
    raw = str(raw)
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").strip()
    if text and len(text) <= REFERENCE_LENGTH:
        return text
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    if not text:
        return f"payos-{digest}"
    return f"{text[: REFERENCE_LENGTH - 17]}~{digest}"


def _transfer(order_code: int, amount: int, raw: str, currency: str = "VND") -> Transfer:
    reference = reference_clean(raw)
    return Transfer(
        order_code=order_code,
        amount=amount,
        reference=reference,
        currency=currency,
        raw_reference="" if reference == raw else _escaped(str(raw))[:RAW_REFERENCE_LENGTH],
    )


def _escaped(text: str) -> str:
    """Control characters written out (\\u0000), so JSONB takes the text."""
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch)[0] == "C" else ch for ch in text)
