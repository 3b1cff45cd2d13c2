/* Autocomplete for the header search box.
 *
 * Asks /shop/search/suggest/ (listable products only, folded Vietnamese) as
 * the shopper types and lists up to 8 products; arrows move, Enter opens,
 * Escape closes. Without JavaScript the box is a plain search form. */
(function () {
    "use strict";
    var form = document.querySelector("form.site-search[data-suggest-url]");
    if (!form || !window.fetch) { return; }
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector(".site-search__suggestions");
    var timer = null;
    var active = -1;
    var lastQuery = "";

    function close() {
        list.hidden = true;
        list.innerHTML = "";
        active = -1;
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
        var items = list.querySelectorAll("[role=option]");
        if (!items.length) { return; }
        active = (index + items.length) % items.length;
        items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
        input.setAttribute("aria-activedescendant", items[active].id);
    }

    function render(data) {
        if (data.query !== input.value.trim().replace(/\s+/g, " ")) { return; }  // a stale answer
        list.innerHTML = "";
        active = -1;
        if (!data.products.length) { close(); return; }
        data.products.forEach(function (product, i) {
            var li = document.createElement("li");
            li.id = "site-search-suggestion-" + i;
            li.setAttribute("role", "option");
            li.setAttribute("aria-selected", "false");
            var a = document.createElement("a");
            a.href = product.url;
            var title = document.createElement("span");
            title.className = "site-search__title";
            title.textContent = product.title;
            var meta = document.createElement("span");
            meta.className = "site-search__meta";
            meta.textContent = (product.stars ? product.stars + "★ · " : "") + product.price;
            a.appendChild(title);
            a.appendChild(meta);
            li.appendChild(a);
            list.appendChild(li);
        });
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
    }

    function ask() {
        var query = input.value.trim().replace(/\s+/g, " ");
        if (query === lastQuery) { return; }
        lastQuery = query;
        if (query.length < 2) { close(); return; }
        fetch(form.dataset.suggestUrl + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (data) { if (data) { render(data); } })
            .catch(function () { /* the plain search form still works */ });
    }

    input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
        if (list.hidden) { return; }
        if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
        else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
        else if (event.key === "Escape") { close(); }
        else if (event.key === "Enter" && active >= 0) {
            event.preventDefault();
            window.location.href = list.querySelectorAll("[role=option] a")[active].href;
        }
    });
    document.addEventListener("click", function (event) {
        if (!form.contains(event.target)) { close(); }
    });
})();
