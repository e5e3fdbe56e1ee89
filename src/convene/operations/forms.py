from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.accounts.models import Role, User
from convene.core.uploads.fields import BoundedFileField
from convene.operations.models import (
    ChecklistItem,
    EvidenceKind,
    Issue,
    ItemStatus,
    Severity,
    TaskForce,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


def staff_users():
    """People who can be put on a task force: anyone but delegations' focal points."""
    return User.objects.filter(is_active=True).exclude(
        role_assignments__role=Role.FOCAL_POINT).order_by("username")


class TaskForceForm(forms.ModelForm):
    lead = UserChoiceField(queryset=User.objects.none(), required=False,
                           label=pgettext_lazy("task-force lead (person)", "Lead"))

    class Meta:
        model = TaskForce
        fields = ["name", "area", "mandate", "lead", "authority_ceiling", "venues",
                  "delegations", "order"]
        widgets = {"delegations": forms.CheckboxSelectMultiple,
                   "mandate": forms.Textarea(attrs={"rows": 3}),
                   "venues": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["lead"].queryset = staff_users()
        self.fields["delegations"].queryset = event.delegations.select_related("entity")


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username of the person to add"), max_length=150)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = staff_users().filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("Nobody with this username can join a task force."))
        return user


class ItemForm(forms.ModelForm):
    owner = UserChoiceField(queryset=User.objects.none(), required=False, label=_("Owner"))
    deadline = forms.DateTimeField(label=_("Deadline"), widget=DATETIME_WIDGET)

    class Meta:
        model = ChecklistItem
        fields = ["title", "description", "owner", "deadline", "effort_days", "priority",
                  "evidence_required", "decision_needed"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "decision_needed": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        people = Q(task_force_memberships__task_force=task_force) | Q(
            led_task_forces=task_force)
        if self.instance.owner_id:
            people |= Q(pk=self.instance.owner_id)
        self.fields["owner"].queryset = User.objects.filter(people).distinct().order_by(
            "username")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("status of a readiness item", "Status"),
                               choices=ItemStatus.choices)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Evidence"), choices=EvidenceKind.choices,
                             initial=EvidenceKind.NOTE, widget=forms.RadioSelect)
    note = forms.CharField(label=pgettext_lazy("a note added as evidence", "Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    # Refused here past the size limit; the content is checked by services.add_evidence.
    file = BoundedFileField(
        label=_("File or photo"), required=False,
        help_text=_("PDF, Word, Excel, OpenDocument, text or CSV; photos as JPEG or PNG; "
                    "%(size)s at most."),
        accept="image/jpeg,image/png,.pdf,.docx,.xlsx,.odt,.ods,.txt,.csv")
    done = forms.BooleanField(label=_("and mark the item done"), required=False)


class DependencyForm(forms.Form):
    dependency = forms.ModelChoiceField(queryset=ChecklistItem.objects.none(),
                                        label=_("It cannot be done before"))

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dependency"].queryset = ChecklistItem.objects.filter(
            task_force__event_id=item.task_force.event_id).exclude(pk=item.pk).exclude(
            pk__in=item.depends_on.values("pk")).select_related("task_force").order_by(
            "task_force__order", "deadline")
        self.fields["dependency"].label_from_instance = lambda i: f"{i.task_force} — {i.title}"


class IssueForm(forms.ModelForm):
    """Reporting an issue, made for a phone: few fields, big targets, the keyboard that fits."""

    class Meta:
        model = Issue
        fields = ["task_force", "title", "severity", "location", "session", "delegation",
                  "description", "beyond_authority"]
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "next"}),
            "severity": forms.RadioSelect,
            "location": forms.TextInput(attrs={"list": "operations-venues",
                                               "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_force"].queryset = TaskForce.objects.filter(event=event)
        self.fields["task_force"].empty_label = None
        self.fields["delegation"].queryset = event.delegations.select_related("entity")
        self.fields["severity"].initial = Severity.MEDIUM


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"),
                                 widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    owner = UserChoiceField(queryset=User.objects.none(), label=_("Owner"))

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            Q(task_force_memberships__task_force=task_force) | Q(led_task_forces=task_force)
        ).distinct().order_by("username")
