/* Oscar's start-up call for shop and CMS pages (templates/oscar/layout.html).
 * It used to run from the inline script that carries the response's CSP
 * nonce; from a static file, the page itself holds nothing per response and
 * one copy can serve every visitor. Pages that add to Oscar's onbodyload
 * block still get that inline script, which runs after this one. */
$(function () {
    "use strict";
    oscar.init();
});
