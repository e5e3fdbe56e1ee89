from django import forms
from django.utils.translation import gettext_lazy as _

from convene.delegations.models import Delegation, Member

MEMBER_FIELDS = ["title", "given_name", "family_name", "rank", "function", "email", "is_head"]


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = MEMBER_FIELDS


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("One person per row. Columns: title, given_name, family_name, rank, "
                    "function, email, is_head."),
    )


class NoteVerbaleForm(forms.Form):
    ALLOWED = (".pdf", ".jpg", ".jpeg", ".png")
    MAX_BYTES = 10 * 1024 * 1024
    document = forms.FileField(label=_("Nomination letter / note verbale (PDF or image)"))

    def clean_document(self):
        document = self.cleaned_data["document"]
        if not document.name.lower().endswith(self.ALLOWED):
            raise forms.ValidationError(_("Upload a PDF, JPEG or PNG file."))
        if document.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return document


class DelegationSettingsForm(forms.ModelForm):
    nomination_deadline = forms.DateTimeField(
        label=_("Nomination deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Delegation
        fields = ["status", "quota", "nomination_deadline"]


class DelegationInviteForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=None, label=_("Participant"))
    quota = forms.IntegerField(label=_("Quota"), min_value=1, max_value=500, initial=6)
    nomination_deadline = forms.DateTimeField(
        label=_("Nomination deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, event, **kwargs):
        from convene.directory.models import Entity

        super().__init__(*args, **kwargs)
        # Only entities not yet invited to this event.
        self.fields["entity"].queryset = Entity.objects.exclude(delegations__event=event)
