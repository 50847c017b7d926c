from django import forms

from resources.enums import ReportReason
from resources.models import ResourceComment, ResourceReport


class CommentForm(forms.ModelForm):
    class Meta:
        model = ResourceComment
        fields = ["body"]
        labels = {"body": "Votre commentaire"}
        help_texts = {"body": "1 000 caractères au plus. Visible par les personnes qui voient la ressource."}
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}
        error_messages = {
            "body": {
                "required": "Écrivez votre commentaire.",
                "max_length": "Votre commentaire dépasse 1 000 caractères : raccourcissez-le.",
            }
        }


class ReportForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label="Motif",
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez un motif.", "invalid_choice": "Choisissez un motif de la liste."},
    )

    class Meta:
        model = ResourceReport
        fields = ["reason", "message"]
        labels = {"message": "Précisions (facultatif)"}
        help_texts = {"message": "Par exemple : la page qui a changé, la ressource en double. 500 caractères au plus."}
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
        error_messages = {"message": {"max_length": "Vos précisions dépassent 500 caractères : raccourcissez-les."}}
