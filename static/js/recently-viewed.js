/* The product page's "recently viewed" block.
 *
 * The page is shared between visitors (cached whole), so it holds only an
 * empty slot: <section data-recently-viewed="/shop/da-xem/12/" hidden>.
 * This visitor's block comes from that URL, which also records the view
 * (history cookie, view count). Without JavaScript the block is absent. */
(function () {
    "use strict";

    function fill(slot) {
        var url = slot.getAttribute("data-recently-viewed");
        if (!url || !window.fetch) { return; }
        window.fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}})
            .then(function (response) { return response.ok ? response.text() : ""; })
            .then(function (html) {
                if (html.trim()) {
                    slot.innerHTML = html;
                    slot.hidden = false;
                }
            })
            .catch(function () { /* the block is optional */ });
    }

    document.querySelectorAll("[data-recently-viewed]").forEach(fill);
}());
