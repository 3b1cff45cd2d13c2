/* Small page behaviours declared in markup, in place of inline event
 * handlers (onchange=, onclick=), which the Content-Security-Policy blocks:
 *
 *   <select data-submit-on-change>   submits its form when changed
 *   <form data-submit-once>          disables its submit buttons once sent
 *   <button data-confirm="...">      asks first; cancelling stops the action
 *   <details data-open-wide>         starts open on wide screens
 *   <img data-upload-preview>        Oscar's image widget: shows the upload
 *                                    button only until an image loads
 *
 * Events are delegated from the document, so markup added later works too. */
(function () {
    "use strict";

    document.addEventListener("change", function (event) {
        var field = event.target;
        if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
            field.form.submit();
        }
    });

    document.addEventListener("click", function (event) {
        var trigger = event.target.closest && event.target.closest("[data-confirm]");
        if (trigger && !window.confirm(trigger.getAttribute("data-confirm"))) {
            event.preventDefault();
            event.stopImmediatePropagation();
        }
    }, true);

    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!form.matches("[data-submit-once]")) { return; }
        // After this tick, so the browser still sends the clicked button.
        window.setTimeout(function () {
            form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
                button.disabled = true;
            });
        }, 0);
    });

    // Coming back to a sent form from the browser's history: usable again.
    window.addEventListener("pageshow", function (event) {
        if (!event.persisted) { return; }
        document.querySelectorAll("form[data-submit-once] [type=submit]").forEach(function (button) {
            button.disabled = false;
        });
    });

    // Oscar's image widget: its upload button shows until a chosen file's
    // preview loads, and a file that is not an image is refused.
    function uploadButton(image) {
        return image.closest(".image-input").querySelector("button");
    }
    document.addEventListener("load", function (event) {
        var image = event.target;
        if (image.matches && image.matches("img[data-upload-preview]")) {
            uploadButton(image).hidden = true;
        }
    }, true);
    document.addEventListener("error", function (event) {
        var image = event.target;
        if (image.matches && image.matches("img[data-upload-preview]") && image.getAttribute("src")) {
            uploadButton(image).hidden = false;
            window.alert(image.getAttribute("data-error-message"));
        }
    }, true);

    if (window.matchMedia("(min-width: 992px)").matches) {
        document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
            details.open = true;
        });
    }
}());
