/* The checkout total follows the shopper's choices.
 *
 * Shipping depends on the province and on which parcels are picked up, so
 * each time either changes this script asks the server for the summary
 * (checkout:summary renders the same partial as the page, from the same
 * quote the order is placed at) and puts it in place. The summary carries
 * the hidden `shown_total`, which "Đặt hàng" posts back: the server places
 * the order only at that total. If a request fails or is still on its way
 * when the form is sent, the total posted is an older one; the server then
 * shows the current total and asks again, so nobody is charged a total
 * they did not see. Without JavaScript the first "Đặt hàng" does the same. */
(function () {
    "use strict";

    var form = document.querySelector("[data-checkout-form]");
    if (!form || !window.fetch) {
        return;
    }
    var summary = form.querySelector("[data-checkout-summary]");
    var url = form.getAttribute("data-summary-url");
    var latest = 0;

    function choices() {
        var params = new URLSearchParams();
        var province = form.querySelector("[name=province]");
        if (province) {
            params.set("province", province.value);
        }
        form.querySelectorAll("[name=pickup]:checked").forEach(function (box) {
            params.append("pickup", box.value);
        });
        return params;
    }

    function refresh() {
        var mine = ++latest;
        summary.setAttribute("aria-busy", "true");
        fetch(url + "?" + choices().toString(), {
            credentials: "same-origin",
            headers: { "Accept": "text/html" }
        })
            .then(function (response) {
                if (response.status !== 200) {
                    throw new Error("summary " + response.status);
                }
                return response.text();
            })
            .then(function (html) {
                if (mine === latest) {
                    summary.innerHTML = html;
                }
            })
            .catch(function () {
                /* keep the summary shown; the server checks the total anyway */
            })
            .then(function () {
                if (mine === latest) {
                    summary.removeAttribute("aria-busy");
                }
            });
    }

    form.addEventListener("change", function (event) {
        var name = event.target && event.target.name;
        if (name === "province" || name === "pickup") {
            refresh();
        }
    });
})();
