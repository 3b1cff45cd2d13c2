"""Oscar's customer app, forked (see the package docstring). Adds the
"check your mail" page after registering and the activation link."""

import oscar.apps.customer.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CustomerConfig(apps.CustomerConfig):
    name = "marketplace.customer"

    def ready(self):
        super().ready()
        self.registration_sent_view = get_class("customer.views", "RegistrationSentView")
        self.activation_view = get_class("customer.views", "AccountActivationView")

    def get_urls(self):
        return super().get_urls() + self.post_process_urls(
            [
                path(
                    "register/sent/",
                    self.registration_sent_view.as_view(),
                    name="register-sent",
                ),
                path(
                    "activate/<str:uidb64>/<str:token>/",
                    self.activation_view.as_view(),
                    name="activate",
                ),
            ]
        )
