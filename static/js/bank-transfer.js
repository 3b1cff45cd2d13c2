/* The VietQR page: copy buttons, the time left, and waiting for the money.
 *
 * The page asks the shop (data-status-url), never payOS, every few seconds
 * what became of the transfer: once the order is placed (by payOS's webhook
 * or the return link) it moves to the thank-you page by itself; when the
 * time runs out, the QR is cancelled or the amount did not match, it says
 * so and stops asking, as it does when the shop no longer knows the request
 * (404: the session is gone). Without
 * JavaScript the shopper can reload the page, which shows the same. */
(function () {
    "use strict";

    var page = document.querySelector("[data-vietqr]");
    if (!page) {
        return;
    }
    var statusLine = page.querySelector("[data-vietqr-status]");
    var countdown = page.querySelector("[data-countdown]");
    var left = parseInt(page.getAttribute("data-seconds-left"), 10) || 0;
    var deadline = Date.now() + left * 1000;
    var done = false;

    page.addEventListener("click", function (event) {
        var button = event.target.closest("[data-copy]");
        if (!button || !navigator.clipboard) {
            return;
        }
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
            var label = button.textContent;
            button.textContent = page.getAttribute("data-copied");
            window.setTimeout(function () { button.textContent = label; }, 1500);
        }, function () { /* no clipboard permission: the text is on screen */ });
    });

    function pad(n) {
        return (n < 10 ? "0" : "") + n;
    }

    function ended(message) {
        done = true;
        if (statusLine) {
            statusLine.textContent = message;
            statusLine.classList.add("vietqr__status--ended");
        }
        var qr = page.querySelector("[data-testid=vietqr-code]");
        if (qr) {
            qr.classList.add("vietqr__qr--ended");
        }
    }

    function tick() {
        if (done || !countdown) {
            return;
        }
        var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        countdown.textContent = pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
        if (seconds > 0) {
            window.setTimeout(tick, 1000);
        }
    }

    function poll() {
        if (done || !window.fetch) {
            return;
        }
        fetch(page.getAttribute("data-status-url"), {
            credentials: "same-origin",
            headers: { "Accept": "application/json" },
        }).then(function (response) {
            if (response.status === 404 || response.status === 403) {
                return { status: "gone" };  // not this session's (any more): stop
            }
            return response.ok ? response.json() : null;
        }).then(function (body) {
            if (!body) {
                window.setTimeout(poll, 5000);  // the shop erred for a moment
            } else if (body.status === "paid" && body.redirect) {
                done = true;
                window.location.assign(body.redirect);
            } else if (body.status === "pending") {
                window.setTimeout(poll, 2000);
            } else if (body.status === "expired") {
                ended(page.getAttribute("data-expired-message"));
            } else if (body.status === "cancelled") {
                ended(page.getAttribute("data-cancelled-message"));
            } else if (body.status === "amount_mismatch") {
                ended(page.getAttribute("data-mismatch-message"));
            } else {
                ended(page.getAttribute("data-gone-message"));  // any other end
            }
        }, function () {
            window.setTimeout(poll, 5000);  // offline for a moment: keep waiting
        });
    }

    if (statusLine) {
        tick();
        window.setTimeout(poll, 1500);
    }
}());
