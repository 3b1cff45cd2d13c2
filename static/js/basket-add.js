/* Posting from shared pages.
 *
 * Shop and CMS pages are the same for every visitor without a basket, so
 * one cached copy serves them all, and they carry no CSRF token. Their
 * forms that must POST (add to basket, stock alert) are GET steps instead:
 *
 *   <form method="get" action="/shop/basket/add/1/xac-nhan/"
 *         data-post-action="/shop/basket/add/1/">
 *
 * Without JavaScript the GET opens the visitor's own page with the real
 * POST form. With it, this script takes the submit, finds the visitor's
 * token (the csrftoken cookie, or else this script's data-token-url, which
 * also sets the cookie), and posts the same fields plus the token to
 * data-post-action as an ordinary form navigation: the server's redirect
 * and messages are exactly those of a plain POST form. If the token cannot
 * be had, the GET step still works. */
(function () {
    "use strict";

    var script = document.currentScript;
    var tokenUrl = script && script.getAttribute("data-token-url");

    function cookieToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : "";
    }

    var pending = null;  // the token request, started once

    function fetchToken() {
        if (!tokenUrl || !window.fetch) {
            return Promise.reject(new Error("no token endpoint"));
        }
        if (pending) { return pending; }
        pending = window.fetch(tokenUrl, {
            credentials: "same-origin",
            headers: {"Accept": "application/json"}
        }).then(function (response) {
            if (!response.ok) { throw new Error("token: " + response.status); }
            return response.json();
        }).then(function (data) {
            if (!data || !data.token) { throw new Error("token: empty"); }
            return data.token;
        });
        pending.catch(function () { pending = null; });  // a later try may succeed
        return pending;
    }

    function token() {
        var found = cookieToken();
        return found ? Promise.resolve(found) : fetchToken();
    }

    // A hand on the button (or focus on the form) starts the token request,
    // so it is usually there by the time the form is sent.
    function warm(event) {
        var form = event.target.closest && event.target.closest("form[data-post-action]");
        if (form && !cookieToken()) { fetchToken().catch(function () {}); }
    }
    document.addEventListener("pointerdown", warm, true);
    document.addEventListener("focusin", warm, true);

    function hidden(form, name, value) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
    }

    function post(source, token) {
        var form = document.createElement("form");
        form.method = "post";
        form.action = source.getAttribute("data-post-action");
        form.hidden = true;
        new FormData(source).forEach(function (value, name) {
            if (typeof value === "string") { hidden(form, name, value); }
        });
        hidden(form, "csrfmiddlewaretoken", token);
        document.body.appendChild(form);
        form.submit();
    }

    document.addEventListener("submit", function (event) {
        var source = event.target;
        if (!source.matches || !source.matches("form[data-post-action]")) { return; }
        event.preventDefault();
        if (source.getAttribute("data-posting")) { return; }
        source.setAttribute("data-posting", "1");
        token().then(function (found) {
            post(source, found);
        }).catch(function () {
            // No token to be had: take the GET step, which works without one.
            source.removeAttribute("data-posting");
            source.submit();
        });
    });

    // Back from the next page through the browser's history: usable again.
    window.addEventListener("pageshow", function () {
        document.querySelectorAll("form[data-posting]").forEach(function (form) {
            form.removeAttribute("data-posting");
        });
    });
}());
