from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.accreditation.models import BatchScope, Category, Zone
from convene.core.uploads.fields import BoundedFileField


class PhotoForm(forms.Form):
    # Refused here past the size limit; the content is checked by services.upload_photo.
    photo = BoundedFileField(
        label=_("Photo (JPEG or PNG)"), limit_name="image_max_bytes",
        help_text=_("A recent passport-style photo, face uncovered, at least 300 × 380 pixels, "
                    "at most %(size)s. It is cropped to the badge format (35 × 45 mm)."),
        accept="image/jpeg,image/png")


class CategoryChoiceForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(event=event)


class AccessForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"))
    zones_granted = forms.ModelMultipleChoiceField(
        queryset=Zone.objects.none(), required=False, label=_("Extra zones"),
        widget=forms.CheckboxSelectMultiple)
    zones_denied = forms.ModelMultipleChoiceField(
        queryset=Zone.objects.none(), required=False, label=_("Zones withheld"),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(event=event)
        for name in ("zones_granted", "zones_denied"):
            self.fields[name].queryset = Zone.objects.filter(event=event)

    def clean(self):
        data = super().clean()
        both = set(data.get("zones_granted") or []) & set(data.get("zones_denied") or [])
        if both:
            self.add_error("zones_denied", _("A zone cannot be both granted and withheld: %s")
                           % ", ".join(z.code for z in both))
        return data


class VettingForm(forms.Form):
    decision = forms.ChoiceField(choices=[("cleared", _("Cleared")), (
        "refused", pgettext_lazy("security vetting decision", "Refused"))],
                                 label=_("Security vetting"))
    reason = forms.CharField(label=_("Note (required to refuse)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refused" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for refusing security clearance."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason (sent to the delegation when refusing)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CollectForm(forms.Form):
    id_document = forms.CharField(
        label=_("Identity document checked"), max_length=60,
        help_text=_("e.g. “diplomatic passport”; the badge is handed over only after the "
                    "document matches the person and the photo."))


class BulkForm(forms.Form):
    members = forms.TypedMultipleChoiceField(coerce=int, choices=(), label=_("People"))
    action = forms.ChoiceField(choices=())
    reason = forms.CharField(required=False, max_length=2000, label=_("Reason"))

    def __init__(self, *args, member_ids, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(pk, pk) for pk in member_ids]
        self.fields["action"].choices = actions


class BatchForm(forms.Form):
    scope = forms.ChoiceField(choices=BatchScope.choices,
                              label=pgettext_lazy("which badges to print", "Print"))
    delegation = forms.ModelChoiceField(queryset=None, required=False, label=_("Delegation"))
    category = forms.ModelChoiceField(queryset=None, required=False, label=_("Category"))

    def __init__(self, *args, event, **kwargs):
        from convene.delegations.models import Delegation

        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = Delegation.objects.filter(
            event=event).select_related("entity")
        self.fields["category"].queryset = Category.objects.filter(event=event)

    def clean(self):
        data = super().clean()
        if data.get("scope") == BatchScope.DELEGATION and not data.get("delegation"):
            self.add_error("delegation", _("Choose the delegation to print."))
        if data.get("scope") == BatchScope.CATEGORY and not data.get("category"):
            self.add_error("category", _("Choose the category to print."))
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["code", "name", "colour", "photo_required", "order", "zones"]
        widgets = {"zones": forms.CheckboxSelectMultiple,
                   "colour": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["zones"].queryset = Zone.objects.filter(event=event)

    def clean_code(self):
        code = self.cleaned_data["code"]
        others = Category.objects.filter(event=self.event, code=code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another category has this code."))
        return code


class ZoneForm(forms.Form):
    code = forms.RegexField(r"^[A-Z0-9]{1,4}$", label=_("Code"), max_length=4,
                            error_messages={"invalid": _("One to four capital letters or "
                                                         "digits.")})
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Zone.objects.filter(event=self.event, code=code).exists():
            raise forms.ValidationError(_("There is already a zone with this code."))
        return code


class ValidityForm(forms.Form):
    valid_from = forms.DateTimeField(label=_("Badges valid from"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    valid_until = forms.DateTimeField(label=_("Badges valid until"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and (
                data["valid_until"] <= data["valid_from"]):
            self.add_error("valid_until", _("The end must come after the start."))
        return data
