from django import forms
from django.utils.translation import gettext_lazy as _

from convene.accounts.models import User


class FocalPointForm(forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=150)
    email = forms.EmailField(label=_("Email"),
                             help_text=_("A link to set the password is sent to this address."))
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login name is taken."))
        return username
