"""Oscar's account forms, forked so neither registration nor password reset
reveals whether an address has an account."""

from oscar.apps.customer import forms as oscar_forms
from oscar.apps.customer.utils import normalise_email

from marketplace.customer.services import password_reset_request


class EmailUserCreationForm(oscar_forms.EmailUserCreationForm):
    """Oscar's registration form without "a user with that email address
    already exists": the address is checked by the worker, which mails its
    owner instead (`account_register_complete`). Nothing is saved here."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def save(self, commit=True):
        raise NotImplementedError("Registration goes through account_register.")


class PasswordResetForm(oscar_forms.PasswordResetForm):
    """Enqueues the reset mail instead of sending it inside the request,
    for every address alike (`password_reset_request`)."""

    def save(self, *args, **kwargs):
        password_reset_request(email=self.cleaned_data["email"])
