"""The stand-in payOS server: payOS's merchant API, the bank, and faults.

API (what the `payos` SDK 1.1.0 calls, with `x-client-id`/`x-api-key`):
    POST /v2/payment-requests              create (signed request, signed answer)
    GET  /v2/payment-requests/{id}         by orderCode or paymentLinkId
    POST /v2/payment-requests/{id}/cancel
    POST /confirm-webhook                  posts a signed test webhook first
Every answer is payOS's envelope `{code, desc, data, signature}`; code "00"
is success, and `signature` is HMAC-SHA256 over `data` (signing.py).

The bank (control endpoints, and the hosted checkout page's buttons):
    POST /_standin/pay     {orderCode, amount?, late?, deliver?, times?, reference?}
    GET|POST|DELETE /_standin/faults   {delay, error_status, refuse, bad_signature}
    GET  /_standin/webhooks            what was sent, and how the shop answered
    GET  /web/{paymentLinkId}          the checkout link: QR, "pay", "cancel"
"""

from __future__ import annotations

import html
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .keys import STANDIN_API_KEY, STANDIN_CHECKSUM_KEY, STANDIN_CLIENT_ID
from .signing import sign_create_request, sign_data, vietqr_string

VN = timezone(timedelta(hours=7))
MAX_ORDER_CODE = 9007199254740991  # payOS: a JavaScript safe integer
MAX_DESCRIPTION = 25


@dataclass
class StandinFaults:
    """What the stand-in gets wrong on purpose on its payOS API (never on
    the control endpoints); the defaults get nothing wrong.

    `delay` holds each answer back (a slow payOS, for client timeouts);
    `error_status` answers every call with that HTTP status (5xx: down);
    `refuse` answers 200 with that payOS error code instead of "00";
    `bad_signature` signs answers and webhooks with the wrong key.
    """

    delay: float = 0.0
    error_status: int = 0
    refuse: str = ""
    bad_signature: bool = False

    def replace(self, **changes: Any) -> StandinFaults:
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(unknown)}")
        merged = StandinFaults(**{**asdict(self), **changes})
        if not isinstance(merged.delay, int | float) or merged.delay < 0:
            raise ValueError("delay must be a number of seconds >= 0")
        if merged.error_status and not 400 <= int(merged.error_status) <= 599:
            raise ValueError("error_status must be 0 or an HTTP error status")
        return merged


class StandinError(Exception):
    """A payOS error answer: HTTP status, payOS code, description."""

    def __init__(self, code: str, desc: str, status: int = HTTPStatus.OK) -> None:
        super().__init__(desc)
        self.code, self.desc, self.status = code, desc, status


def _now_text() -> str:
    return datetime.now(VN).strftime("%Y-%m-%dT%H:%M:%S+07:00")


class PayosStandin:
    """One merchant's payOS account, startable from tests and the CLI.

    The merchant's keys and its bank account are fixed at start; requests,
    faults and the registered webhook URL live in memory.
    """

    def __init__(
        self,
        *,
        client_id: str = STANDIN_CLIENT_ID,
        api_key: str = STANDIN_API_KEY,
        checksum_key: str = STANDIN_CHECKSUM_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_url: str = "",
        bin_code: str = "970422",
        account_number: str = "0123456789",
        account_name: str = "CONG TY CHO OCOP",
        verbose: bool = False,
    ) -> None:
        self.client_id, self.api_key, self.checksum_key = client_id, api_key, checksum_key
        self.host, self.port, self.verbose = host, port, verbose
        self.webhook_url = webhook_url
        self.bin_code, self.account_number, self.account_name = (
            bin_code,
            account_number,
            account_name,
        )
        self.faults = StandinFaults()
        self.requests: dict[int, dict[str, Any]] = {}
        self.webhook_log: list[dict[str, Any]] = []
        self.api_calls: list[str] = []
        self._lock = threading.RLock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give the SDK (`base_url`, PAYOS_BASE_URL)."""
        return f"http://{self.host}:{self.port}"

    def bind(self) -> None:
        if self._httpd is None:
            self._httpd = _HTTPServer((self.host, self.port), _Handler)
            self._httpd.standin = self
            self.port = self._httpd.server_address[1]

    def start(self) -> PayosStandin:
        self.bind()
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"payos-standin-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.bind()
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        if self._httpd is not None and self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        if self._httpd is not None:
            self._httpd.server_close()
        self._httpd = self._thread = None

    def __enter__(self) -> PayosStandin:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- state ---------------------------------------------------------------

    def set_faults(self, **changes: Any) -> StandinFaults:
        with self._lock:
            self.faults = self.faults.replace(**changes)
            return self.faults

    def reset_faults(self) -> StandinFaults:
        with self._lock:
            self.faults = StandinFaults()
            return self.faults

    def _signature(self, data: dict[str, Any]) -> str:
        key = self.checksum_key + ("-wrong" if self.faults.bad_signature else "")
        return sign_data(data, key)

    def _find(self, ident: str) -> dict[str, Any]:
        with self._lock:
            if ident.isascii() and ident.isdigit() and int(ident) in self.requests:
                found = self.requests[int(ident)]
            else:
                found = next((r for r in self.requests.values() if r["id"] == ident), None)
        if found is None:
            raise StandinError("101", "Mã thanh toán không tồn tại")
        return found

    @staticmethod
    def _status(request: dict[str, Any]) -> str:
        """PENDING turns EXPIRED once its expiredAt passes, as at payOS."""
        if request["status"] == "PENDING" and request["expiredAt"] < time.time():
            return "EXPIRED"
        return request["status"]

    def payment_link(self, request: dict[str, Any]) -> dict[str, Any]:
        """A request as GET/cancel answer it (the SDK's `PaymentLink`)."""
        return {
            "id": request["id"],
            "orderCode": request["orderCode"],
            "amount": request["amount"],
            "amountPaid": request["amountPaid"],
            "amountRemaining": max(request["amount"] - request["amountPaid"], 0),
            "status": self._status(request),
            "createdAt": request["createdAt"],
            "transactions": [dict(t) for t in request["transactions"]],
            "cancellationReason": request["cancellationReason"],
            "canceledAt": request["canceledAt"],
        }

    # -- the API ---------------------------------------------------------------

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        order_code, amount = body.get("orderCode"), body.get("amount")
        description = body.get("description")
        if not isinstance(order_code, int) or not 0 < order_code <= MAX_ORDER_CODE:
            raise StandinError("20", "orderCode phải là số nguyên dương")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            raise StandinError("20", "amount phải là số nguyên dương")
        if not isinstance(description, str) or not 0 < len(description) <= MAX_DESCRIPTION:
            raise StandinError("20", "description tối đa 25 kí tự")
        for name in ("returnUrl", "cancelUrl"):
            if not isinstance(body.get(name), str) or not body[name]:
                raise StandinError("20", f"{name} là bắt buộc")
        if body.get("signature") != sign_create_request(body, self.checksum_key):
            raise StandinError("201", "Chữ ký không hợp lệ")
        expired_at = body.get("expiredAt")
        if expired_at is not None and (not isinstance(expired_at, int) or expired_at < time.time()):
            raise StandinError("20", "expiredAt phải ở tương lai")
        with self._lock:
            if order_code in self.requests:
                raise StandinError("231", "Đơn thanh toán đã tồn tại")
            link_id = uuid.uuid4().hex
            request = {
                "id": link_id,
                "orderCode": order_code,
                "amount": amount,
                "amountPaid": 0,
                "description": description,
                "status": "PENDING",
                "createdAt": _now_text(),
                "expiredAt": expired_at or int(time.time()) + 24 * 3600,
                "returnUrl": body["returnUrl"],
                "cancelUrl": body["cancelUrl"],
                "transactions": [],
                "cancellationReason": None,
                "canceledAt": None,
            }
            self.requests[order_code] = request
        return {
            "bin": self.bin_code,
            "accountNumber": self.account_number,
            "accountName": self.account_name,
            "amount": amount,
            "description": description,
            "orderCode": order_code,
            "currency": "VND",
            "paymentLinkId": link_id,
            "status": "PENDING",
            "expiredAt": request["expiredAt"],
            "checkoutUrl": f"{self.url}/web/{link_id}",
            "qrCode": vietqr_string(
                bin_code=self.bin_code,
                account_number=self.account_number,
                amount=amount,
                content=description,
            ),
        }

    def cancel(self, ident: str, reason: str | None) -> dict[str, Any]:
        with self._lock:
            request = self._find(ident)
            status = self._status(request)
            if status in ("PAID", "UNDERPAID"):
                raise StandinError("20", "Đơn thanh toán đã có giao dịch, không thể huỷ")
            if status in ("PENDING", "EXPIRED"):
                request["status"] = "CANCELLED"
                request["cancellationReason"] = reason
                request["canceledAt"] = _now_text()
            return self.payment_link(request)

    def confirm_webhook(self, webhook_url: str) -> dict[str, Any]:
        """Register the URL after it answers a signed test webhook with 2xx."""
        if not isinstance(webhook_url, str) or not webhook_url.startswith(("http://", "https://")):
            raise StandinError("20", "Webhook URL không hợp lệ", HTTPStatus.BAD_REQUEST)
        test = self._webhook_body(
            {
                "orderCode": 123,
                "amount": 3000,
                "description": "VQRIO123",
                "reference": "TF230204212323",
                "paymentLinkId": "124c33293c43417ab7879e14c8d9eb18",
            }
        )
        status = self._deliver(webhook_url, test)
        if not isinstance(status, int) or not 200 <= status < 300:
            raise StandinError("20", f"Webhook URL trả lời {status}", HTTPStatus.BAD_REQUEST)
        with self._lock:
            self.webhook_url = webhook_url
        return {
            "webhookUrl": webhook_url,
            "accountName": self.account_name,
            "accountNumber": self.account_number,
            "name": "Kênh thanh toán Chợ OCOP",
            "shortName": "MB",
        }

    # -- the bank --------------------------------------------------------------

    def pay(
        self,
        order_code: int,
        *,
        amount: int | None = None,
        late: bool = False,
        deliver: bool = True,
        times: int = 1,
        reference: str | None = None,
    ) -> dict[str, Any]:
        """Money arrives for `order_code`: record the transaction, then send
        the signed webhook `times` times (0 or `deliver=False`: do not send,
        so a test can post it itself, in any order). `amount` defaults to
        what is left to pay; `late` lets money land on an expired or
        cancelled request, as a slow bank transfer does."""
        with self._lock:
            request = self._find(str(order_code))
            status = self._status(request)
            if status in ("EXPIRED", "CANCELLED") and not late:
                raise StandinError("20", f"Đơn thanh toán đang {status}")
            if amount is None:
                amount = max(request["amount"] - request["amountPaid"], 1)
            reference = reference or f"FT{uuid.uuid4().hex[:12].upper()}"
            when = datetime.now(VN).strftime("%Y-%m-%d %H:%M:%S")
            transaction = {
                "reference": reference,
                "amount": amount,
                "accountNumber": self.account_number,
                "description": request["description"],
                "transactionDateTime": when,
                "virtualAccountName": None,
                "virtualAccountNumber": None,
                "counterAccountBankId": "970436",
                "counterAccountBankName": "Vietcombank",
                "counterAccountName": "NGUYEN THI LAN",
                "counterAccountNumber": "0071000123456",
            }
            request["transactions"].append(transaction)
            request["amountPaid"] += amount
            if status not in ("EXPIRED", "CANCELLED"):
                request["status"] = (
                    "PAID" if request["amountPaid"] >= request["amount"] else "UNDERPAID"
                )
            body = self._webhook_body(
                {
                    "orderCode": request["orderCode"],
                    "amount": amount,
                    "description": request["description"],
                    "reference": reference,
                    "paymentLinkId": request["id"],
                    "transactionDateTime": when,
                }
            )
            url = self.webhook_url
        deliveries = []
        if deliver and url:
            deliveries = [self._deliver(url, body) for _ in range(times)]
        return {"webhook": body, "deliveries": deliveries, "status": self._status(request)}

    def _webhook_body(self, data: dict[str, Any]) -> dict[str, Any]:
        full = {
            "orderCode": data["orderCode"],
            "amount": data["amount"],
            "description": data["description"],
            "accountNumber": self.account_number,
            "reference": data["reference"],
            "transactionDateTime": data.get("transactionDateTime")
            or datetime.now(VN).strftime("%Y-%m-%d %H:%M:%S"),
            "currency": "VND",
            "paymentLinkId": data["paymentLinkId"],
            "code": "00",
            "desc": "success",
            "counterAccountBankId": "970436",
            "counterAccountBankName": "Vietcombank",
            "counterAccountName": "NGUYEN THI LAN",
            "counterAccountNumber": "0071000123456",
            "virtualAccountName": "",
            "virtualAccountNumber": "",
        }
        return {
            "code": "00",
            "desc": "success",
            "success": True,
            "data": full,
            "signature": self._signature(full),
        }

    def _deliver(self, url: str, body: dict[str, Any]) -> int | str:
        """POST a webhook as payOS does; the shop's HTTP status, or the error."""
        raw = json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 (the shop's own http(s) URL)
            url, data=raw, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                status: int | str = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError) as error:
            status = f"unreachable: {error}"
        with self._lock:
            self.webhook_log.append({"url": url, "body": body, "status": status})
        return status


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    standin: PayosStandin

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a delayed answer


def _envelope(data: Any, signature: str | None = None) -> dict[str, Any]:
    body = {"code": "00", "desc": "success", "data": data}
    if signature is not None:
        body["signature"] = signature
    return body


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "payos-standin/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.standin.verbose:
            super().log_message(format, *args)

    # -- routing ---------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        standin = self.server.standin
        if path == "/healthz":
            self._json(HTTPStatus.OK, {"status": "ok"})
        elif path == "/favicon.ico":  # the checkout page's browser asks
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        elif path == "/_standin/faults":
            self._json(HTTPStatus.OK, asdict(standin.faults))
        elif path == "/_standin/webhooks":
            self._json(HTTPStatus.OK, standin.webhook_log)
        elif path.startswith("/web/"):
            self._checkout_page(path.removeprefix("/web/"))
        elif path.startswith("/v2/payment-requests/"):
            ident = path.removeprefix("/v2/payment-requests/")
            self._api(lambda: standin.payment_link(standin._find(ident)), signed=True)
        else:
            self._json(HTTPStatus.NOT_FOUND, {"code": "404", "desc": "Not found"})

    def do_POST(self) -> None:  # noqa: N802
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        standin = self.server.standin
        if path.startswith("/web/"):
            return self._checkout_action(path.removeprefix("/web/"))
        try:
            body = self._body()
        except ValueError as exc:
            return self._json(HTTPStatus.BAD_REQUEST, {"code": "20", "desc": str(exc)})
        if path == "/v2/payment-requests":
            self._api(lambda: standin.create(body), signed=True)
        elif path.startswith("/v2/payment-requests/") and path.endswith("/cancel"):
            ident = path.removeprefix("/v2/payment-requests/").removesuffix("/cancel")
            reason = body.get("cancellationReason") if isinstance(body, dict) else None
            self._api(lambda: standin.cancel(ident, reason), signed=True)
        elif path == "/confirm-webhook":
            url = body.get("webhookUrl") if isinstance(body, dict) else None
            self._api(lambda: standin.confirm_webhook(url), signed=False)
        elif path == "/_standin/faults":
            try:
                self._json(HTTPStatus.OK, asdict(standin.set_faults(**(body or {}))))
            except (TypeError, ValueError) as exc:
                self._json(HTTPStatus.BAD_REQUEST, {"detail": str(exc)})
        elif path == "/_standin/pay":
            self._control_pay(body)
        else:
            self._json(HTTPStatus.NOT_FOUND, {"code": "404", "desc": "Not found"})

    def do_DELETE(self) -> None:  # noqa: N802
        if urllib.parse.urlsplit(self.path).path.rstrip("/") == "/_standin/faults":
            self._json(HTTPStatus.OK, asdict(self.server.standin.reset_faults()))
        else:
            self._json(HTTPStatus.NOT_FOUND, {"code": "404", "desc": "Not found"})

    # -- the API, with faults and the merchant's keys ----------------------------

    def _api(self, answer, *, signed: bool) -> None:
        standin = self.server.standin
        standin.api_calls.append(f"{self.command} {self.path}")
        faults = standin.faults
        if faults.delay:
            time.sleep(faults.delay)
        if faults.error_status:
            return self._json(faults.error_status, {"code": "500", "desc": "stand-in fault"})
        if faults.refuse:
            return self._json(HTTPStatus.OK, {"code": faults.refuse, "desc": "stand-in refusal"})
        if (
            self.headers.get("x-client-id") != standin.client_id
            or self.headers.get("x-api-key") != standin.api_key
        ):
            return self._json(
                HTTPStatus.UNAUTHORIZED, {"code": "401", "desc": "Thông tin xác thực sai"}
            )
        try:
            data = answer()
        except StandinError as error:
            return self._json(error.status, {"code": error.code, "desc": error.desc, "data": None})
        self._json(HTTPStatus.OK, _envelope(data, standin._signature(data) if signed else None))

    def _control_pay(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("orderCode"), int):
            return self._json(HTTPStatus.BAD_REQUEST, {"detail": "orderCode (integer) is required"})
        try:
            result = self.server.standin.pay(
                body["orderCode"],
                amount=body.get("amount"),
                late=bool(body.get("late")),
                deliver=bool(body.get("deliver", True)),
                times=int(body.get("times", 1)),
                reference=body.get("reference"),
            )
        except StandinError as error:
            return self._json(HTTPStatus.CONFLICT, {"detail": error.desc})
        self._json(HTTPStatus.OK, result)

    # -- the hosted checkout page (the checkout link) ----------------------------

    def _checkout_page(self, link_id: str) -> None:
        standin = self.server.standin
        try:
            request = standin._find(link_id)
        except StandinError:
            return self._html(HTTPStatus.NOT_FOUND, "<p>Không tìm thấy link thanh toán.</p>")
        status = standin._status(request)
        esc = html.escape
        buttons = ""
        if status == "PENDING":
            buttons = (
                f'<form method="post" action="/web/{esc(link_id)}">'
                '<button name="action" value="pay">Giả lập: chuyển khoản đủ số tiền</button> '
                '<button name="action" value="cancel">Huỷ thanh toán</button></form>'
            )
        self._html(
            HTTPStatus.OK,
            f"<h1>payOS (stand-in)</h1><p>Đơn {request['orderCode']}: "
            f"{request['amount']:,} ₫ · {esc(request['description'])} · {esc(status)}</p>"
            f"<p>{esc(standin.account_name)} · {esc(standin.account_number)}</p>{buttons}",
        )

    def _checkout_action(self, link_id: str) -> None:
        standin = self.server.standin
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        try:
            request = standin._find(link_id)
            if (form.get("action") or [""])[0] == "cancel":
                standin.cancel(link_id, "Người mua huỷ")
                target, extra = request["cancelUrl"], {"cancel": "true", "status": "CANCELLED"}
            else:
                standin.pay(request["orderCode"])
                target, extra = request["returnUrl"], {"cancel": "false", "status": "PAID"}
        except StandinError as error:
            return self._html(HTTPStatus.CONFLICT, f"<p>{html.escape(error.desc)}</p>")
        query = {"code": "00", "id": request["id"], "orderCode": request["orderCode"], **extra}
        joiner = "&" if "?" in target else "?"
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", f"{target}{joiner}{urllib.parse.urlencode(query)}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -- plumbing ----------------------------------------------------------------

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"invalid JSON body: {exc}") from exc

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json")

    def _html(self, status: int, body: str) -> None:
        page = (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width"><title>payOS</title></head>'
            f"<body>{body}</body></html>"
        )
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
