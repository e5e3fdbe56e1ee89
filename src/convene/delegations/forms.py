from django import forms
from django.utils.translation import gettext_lazy as _

from convene.core.uploads.fields import BoundedFileField
from convene.delegations.models import Delegation, Member

MEMBER_FIELDS = ["title", "given_name", "family_name", "rank", "function", "email", "is_head"]


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = MEMBER_FIELDS


class MemberImportForm(forms.Form):
    # Refused here past the size limit; the content is read by services.import_members.
    file = BoundedFileField(
        label=_("CSV or Excel file"), limit_name="sheet_max_bytes",
        help_text=_("One person per row. Columns: title, given_name, family_name, rank, "
                    "function, email, is_head."),
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument."
               "spreadsheetml.sheet",
    )


class NoteVerbaleForm(forms.Form):
    # Refused here past the size limit; the content is checked by services.attach_note_verbale.
    document = BoundedFileField(label=_("Nomination letter / note verbale (PDF or image)"),
                                accept="application/pdf,image/jpeg,image/png")


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
