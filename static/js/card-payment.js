/* Stripe's Payment Element on the card payment page. Card details go from
 * Stripe's frame straight to Stripe, never through our server; the order is
 * placed when Stripe confirms (webhook or the return page). Its settings come
 * from data- attributes on #payment-form, so no inline script is needed. */
(function () {
    "use strict";
    var form = document.getElementById("payment-form");
    var message = document.getElementById("payment-message");
    var submit = document.getElementById("payment-submit");
    if (!form) { return; }

    function show(text) {
        message.textContent = text;
        message.hidden = false;
    }

    if (!window.Stripe) {
        show(form.dataset.unavailableMessage);
        return;
    }
    var stripe = window.Stripe(form.dataset.publishableKey);
    var elements = stripe.elements({ clientSecret: form.dataset.clientSecret, locale: form.dataset.locale });
    elements.create("payment").mount("#payment-element");
    form.addEventListener("submit", function (event) {
        event.preventDefault();
        submit.disabled = true;
        stripe.confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
            .then(function (result) {
                if (result.error) {
                    show(result.error.message);
                    submit.disabled = false;
                }
            });
    });
}());
