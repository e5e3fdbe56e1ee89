from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.accounts.models import TokenScope, User


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


class ApiTokenForm(forms.Form):
    """A new personal API token: its name, what it may do, how long it lives."""

    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What uses it, e.g. “Gate tablet 3” or “Nightly export”."))
    scope = forms.ChoiceField(
        label=pgettext_lazy("what an API token may do", "May"),
            choices=TokenScope.choices, initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("A read-only token can read what you can read and change nothing."))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conf = settings.API_TOKENS
        days = self.fields["days"]
        days.initial = conf["default_days"]
        days.max_value = conf["max_days"]
        days.validators.append(MaxValueValidator(conf["max_days"]))
        days.widget.attrs.update({"min": 1, "max": conf["max_days"]})
        days.help_text = _("At most %(days)s days; then it stops working.") % {
            "days": conf["max_days"]}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
