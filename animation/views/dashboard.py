"""The coordinators' dashboard of a département network: its figures, the list behind each one, their
CSV/XLSX exports, and the « mettre à jour votre profil » reminders."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from animation import perms
from animation.forms.dashboard import ReminderForm
from animation.queries import dashboard as queries
from animation.services.reminders import REMINDABLE_MONTHS, profile_reminders_send, reminder_allowed_since
from common.exports import csv_response, xlsx_response
from common.http import redirect_to_next
from common.pagination import paginate
from common.shortcuts import check_or_403
from territories.models import Departement

FORMATS = ("csv", "xlsx")


def _departement(request, code):
    departement = get_object_or_404(Departement, code=code)
    check_or_403(perms.can_view_dashboard, request, departement)
    return departement


def _date(value, departement):
    """« 28 novembre 2026 » in the département's time zone (a datetime) or as is (a date); « — » for none."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value, ZoneInfo(departement.timezone))
    return date_format(value, "j F Y")


def _iso(value, departement):
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value, ZoneInfo(departement.timezone)).date()
    return value.isoformat()


def _yes(value):
    return "oui" if value else "non"


@dataclass
class Column:
    header: str
    value: object  # (row, departement) → what the cell holds
    kind: str = "text"  # text, date, number, yesno
    link: object = None  # row → URL, or None

    def cell(self, row, departement):
        value = self.value(row)
        if self.kind == "date":
            return {"text": _date(value, departement) or "—", "url": None, "num": False}
        if self.kind == "yesno":
            return {"text": _yes(value), "url": None, "num": False}
        return {
            "text": value if value not in (None, "") else "—",
            "url": self.link(row) if self.link else None,
            "num": self.kind == "number",
        }

    def export(self, row, departement):
        value = self.value(row)
        if self.kind == "date":
            return _iso(value, departement)
        if self.kind == "yesno":
            return _yes(value)
        return value if value is not None else ""


def _name(advisor):
    return advisor.user.display_name


def _structure(advisor):
    return advisor.structure.name if advisor.structure_id else ""


NAME = Column("Nom", _name, link=lambda advisor: advisor.get_absolute_url())
STRUCTURE = Column("Structure", _structure)
EMAIL = Column("Adresse électronique", lambda advisor: advisor.user.email)


@dataclass
class Figure:
    """A list behind a figure of the dashboard."""

    slug: str
    title: str
    intro: str
    rows: object  # (departement, viewer) → a QuerySet or a list
    columns: list
    remind: bool = False  # rows are profiles that may get a reminder
    mailto: bool = False  # rows are members the page offers to write to
    months: int = 0  # for the stale profiles: how many months without an update


def _stale(months):
    return lambda departement, viewer: queries.stale_profiles(departement, viewer, months=months)


def _arrival_name(membership):
    return membership.user.display_name if membership.profile_id else "profil non visible"


def _skill_gaps(departement, viewer):
    return queries.skills_of(departement).gaps


def _skill_needs(departement, viewer):
    return queries.skills_of(departement).needs


SKILL = Column("Compétence", lambda row: row.skill.name, link=lambda row: row.skill.get_absolute_url())
DOMAIN = Column("Domaine", lambda row: row.skill.domain.name)

_STALE_COLUMNS = [
    NAME,
    STRUCTURE,
    Column("Profil mis à jour le", lambda advisor: advisor.updated_at, "date"),
    Column("Dernière relance", lambda advisor: advisor.last_reminder, "date"),
]
_CONTRIBUTION_COLUMNS = [
    NAME,
    STRUCTURE,
    Column("Événements organisés", lambda advisor: advisor.n_events, "number"),
    Column("Ressources partagées", lambda advisor: advisor.n_resources, "number"),
    Column("Cartes projets", lambda advisor: advisor.n_cards, "number"),
    Column("Orientations envoyées", lambda advisor: advisor.n_sent, "number"),
    Column("Orientations reçues", lambda advisor: advisor.n_received, "number"),
    Column("Total", lambda advisor: advisor.total, "number"),
]


def _figures():
    figures = [
        Figure(
            "membres-departs",
            "Départs du réseau",
            f"Les membres partis au cours des {queries.MONTHS_SHOWN} derniers mois (adhésion quittée ou compte "
            "supprimé), des plus récents aux plus anciens. Maillage n’en garde que les dates : rien de la personne.",
            lambda departement, viewer: queries.departures(departement),
            [
                Column("Parti le", lambda departure: departure.left_at, "date"),
                Column("Membre depuis le", lambda departure: departure.joined_at, "date"),
                Column("Coordination", lambda departure: departure.was_coordinator, "yesno"),
            ],
        ),
        Figure(
            "membres-arrivees",
            "Arrivées dans le réseau",
            f"Les adhésions acceptées au cours des {queries.MONTHS_SHOWN} derniers mois, des plus récentes aux "
            "plus anciennes, de celles et ceux qui sont encore membres.",
            lambda departement, viewer: queries.arrivals(departement, viewer),
            [
                Column(
                    "Nom",
                    _arrival_name,
                    link=lambda m: reverse("advisors:profile", args=[m.profile_id]) if m.profile_id else None,
                ),
                Column("Structure déclarée", lambda m: m.structure_name),
                Column("Membre depuis le", lambda m: m.decided_at, "date"),
            ],
        ),
        *[
            Figure(
                f"profils-{months}-mois",
                f"Profils non mis à jour depuis {months} mois",
                f"Les profils des membres que personne n’a modifiés depuis {months} mois, du plus ancien au "
                "plus récent. Une relance invite la personne à vérifier son profil ; on ne relance pas deux fois "
                "la même personne en un mois.",
                _stale(months),
                _STALE_COLUMNS,
                remind=True,
                months=months,
            )
            for months in queries.STALE_MONTHS
        ],
        Figure(
            "nouveaux",
            "Nouveaux membres",
            f"Les membres arrivés au cours des {queries.NEWCOMER_MONTHS} derniers mois (date d’arrivée du profil "
            "ou adhésion acceptée), et s’ils sont déjà venus à un événement du réseau (inscription confirmée à un "
            "événement passé, sans absence notée) ou y sont inscrits.",
            lambda departement, viewer: queries.newcomers(departement, viewer),
            [
                NAME,
                STRUCTURE,
                Column("Arrivée", lambda advisor: advisor.arrival_date or advisor.joined_at, "date"),
                Column("Venu à un événement", lambda advisor: advisor.came, "yesno"),
                Column("Inscrit à venir", lambda advisor: advisor.coming, "yesno"),
            ],
        ),
        Figure(
            "contributeurs",
            "Contributeurs et contributrices",
            f"Les membres qui ont contribué au cours des {queries.CONTRIBUTION_MONTHS} derniers mois, des plus "
            "actifs aux moins actifs : événements organisés, ressources publiées, cartes projets, orientations "
            "envoyées et reçues.",
            lambda departement, viewer: queries.contributors(departement, viewer),
            _CONTRIBUTION_COLUMNS,
        ),
        Figure(
            "discrets",
            "Membres sans contribution",
            f"Les membres qui n’ont rien organisé, publié, posté ni orienté depuis {queries.CONTRIBUTION_MONTHS} "
            "mois. Souvent une invitation personnelle suffit : proposer de co-animer un atelier, de présenter "
            "une pratique à la prochaine rencontre.",
            lambda departement, viewer: queries.quiet_members(departement, viewer),
            [NAME, STRUCTURE, EMAIL],
            mailto=True,
        ),
        Figure(
            "competences-manquantes",
            "Compétences que personne ne maîtrise",
            "Les compétences validées qu’aucun membre du réseau ne dit maîtriser et pouvoir transmettre, avec "
            "celles et ceux qui les pratiquent ou veulent les apprendre (carte des compétences).",
            _skill_gaps,
            [
                SKILL,
                DOMAIN,
                Column("Pratiquent", lambda row: row.practice, "number"),
                Column("Veulent apprendre", lambda row: row.learn, "number"),
            ],
        ),
        Figure(
            "besoins-formation",
            "Besoins de formation",
            "Les compétences que beaucoup veulent apprendre et que peu maîtrisent (au moins deux appétences, et "
            "plus de deux fois plus que de personnes qui maîtrisent), l’écart le plus grand d’abord.",
            _skill_needs,
            [
                SKILL,
                DOMAIN,
                Column("Veulent apprendre", lambda row: row.learn, "number"),
                Column("Maîtrisent", lambda row: row.master, "number"),
            ],
        ),
        Figure(
            "evenements-a-renforcer",
            "Événements à renforcer",
            f"Les événements publiés des {queries.EVENT_HORIZON_DAYS} prochains jours auxquels il manque des "
            f"animateurs (un créneau avec moins d’inscrits à l’animation que voulu) ou des inscriptions (moins de "
            f"{queries.LOW_FILL_PERCENT} % des places prises, ou personne quand les places sont illimitées).",
            lambda departement, viewer: queries.events_to_reinforce(departement),
            [
                Column("Événement", lambda need: need.event.title, link=lambda need: need.event.get_absolute_url()),
                Column("Date", lambda need: need.event.starts_at, "date"),
                Column("Animateurs manquants", lambda need: need.animators_missing, "number"),
                Column("Inscriptions confirmées", lambda need: need.registered, "number"),
                Column("Places", lambda need: need.event.capacity if need.event.capacity else "sans limite"),
            ],
        ),
    ]
    return {figure.slug: figure for figure in figures}


FIGURES = _figures()


def _figure(slug):
    figure = FIGURES.get(slug)
    if figure is None:
        raise Http404("Cette liste n’existe pas.")
    return figure


@login_required
@require_GET
def dashboard(request, code):
    departement = _departement(request, code)
    user = request.user
    months = queries.membership_months(departement)
    stale = [
        (months, queries.stale_profiles(departement, user, months=months).count(), f"profils-{months}-mois")
        for months in queries.STALE_MONTHS
    ]
    skills = queries.skills_of(departement)
    return render(
        request,
        "animation/dashboard/dashboard.html",
        {
            "departement": departement,
            "months": months,
            "chart": _chart(months),
            "joined_total": sum(month.joined for month in months),
            "gone_total": sum(month.gone for month in months),
            "departures_since": queries.departures_recorded_since(departement),
            "active_now": months[-1].active if months else 0,
            "stale": stale,
            "newcomers": _newcomer_counts(departement, user),
            "summary": queries.contribution_summary(departement, user),
            "share": queries.CONTRIBUTION_SHARE,
            "skills": skills,
            "needs_top": skills.needs[:5],
            "coverage": queries.coverage_alert(departement, user),
            "events": queries.events_to_reinforce(departement),
            "constants": queries,
        },
    )


def _newcomer_counts(departement, user):
    rows = list(queries.newcomers(departement, user).values_list("came", flat=True))
    return {"total": len(rows), "came": sum(1 for came in rows if came)}


def _chart(months):
    """The bars of each month, drawn on the server (SVG, no script): the active members at its end (a
    wide light bar), and in front of it its arrivals and departures (two narrow bars)."""
    width, height, top, bottom = 640, 180, 16, 36
    slot = width / max(len(months), 1)
    largest = max((month.active for month in months), default=0) or 1
    scale = (height - top - bottom) / largest
    bars = []
    for index, month in enumerate(months):
        x = index * slot
        wide = slot * 0.7
        bar = {"x": round(x + slot * 0.15, 1), "width": round(wide, 1), "label_x": round(x + slot / 2, 1)}
        for name, value, offset in (
            ("active", month.active, 0),
            ("joined", month.joined, 0.1),
            ("gone", month.gone, 0.5),
        ):
            size = value * scale
            bar[f"{name}_y"] = round(height - bottom - size, 1)
            bar[f"{name}_h"] = round(size, 1)
            bar[f"{name}_x"] = round(x + slot * 0.15 + wide * offset, 1)
        bar["narrow"] = round(wide * 0.4, 1)
        bar["month"] = month
        bars.append(bar)
    return {"width": width, "height": height, "baseline": height - bottom, "bars": bars}


@login_required
@require_GET
def dashboard_list(request, code, figure):
    departement = _departement(request, code)
    figure = _figure(figure)
    page = paginate(request, figure.rows(departement, request.user))
    rows = [
        {
            "object": row,
            "cells": [{**column.cell(row, departement), "header": column.header} for column in figure.columns],
        }
        for row in page.object_list
    ]
    context = {
        "departement": departement,
        "figure": figure,
        "page": page,
        "rows": rows,
        "headers": [column.header for column in figure.columns],
    }
    if figure.remind:
        context["remind_since"] = reminder_allowed_since(departement)
        context["remind_months"] = REMINDABLE_MONTHS
    if figure.mailto:
        context["mailto"] = "mailto:?bcc=" + ",".join(row.user.email for row in page.object_list)
    return render(request, "animation/dashboard/list.html", context)


@login_required
@require_GET
def dashboard_export(request, code):
    departement = _departement(request, code)
    figure = FIGURES.get(request.GET.get("liste", ""))
    kind = request.GET.get("format", "")
    if figure is None or kind not in FORMATS:
        return HttpResponseBadRequest(
            "Précisez une liste du tableau de bord (liste=…) et un format (format=csv ou format=xlsx).",
            content_type="text/plain; charset=utf-8",
        )
    rows = figure.rows(departement, request.user)

    def lines():
        yield [column.header for column in figure.columns]
        for row in rows if isinstance(rows, list) else rows.iterator(chunk_size=500):
            yield [column.export(row, departement) for column in figure.columns]

    filename = f"{figure.slug}-{departement.code}-{timezone.localdate():%Y-%m-%d}.{kind}"
    if kind == "csv":
        return csv_response(lines(), filename)
    return xlsx_response(figure.title[:31], lines(), filename)


@login_required
@require_POST
def profile_remind(request, code):
    departement = _departement(request, code)
    fallback = reverse("animation:dashboard_list", args=[departement.code, f"profils-{REMINDABLE_MONTHS}-mois"])
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cette relance n’a pas pu être envoyée\u00a0: choisissez une personne ou une liste.")
        return redirect_to_next(request, fallback)
    months = form.cleaned_data["months"]
    if form.cleaned_data["advisor"]:
        ids = [form.cleaned_data["advisor"]]
    else:
        ids = queries.stale_profiles(departement, request.user, months=months).values_list("pk", flat=True)
    reminded, skipped = profile_reminders_send(departement=departement, advisor_ids=list(ids), by=request.user)
    if reminded:
        names = ", ".join(advisor.user.display_name for advisor in reminded[:5])
        others = len(reminded) - 5
        more = f" et {others} autre{'s' if others > 1 else ''}" if others > 0 else ""
        whom = (
            "l’invite à mettre à jour son profil" if len(reminded) == 1 else "les invite à mettre à jour leur profil"
        )
        messages.success(request, f"Relance envoyée à {names}{more}\u00a0: un courriel {whom}.")
    if skipped:
        count = len(skipped)
        plural = "s" if count > 1 else ""
        messages.info(
            request,
            f"{count} personne{plural} déjà relancée{plural} depuis moins d’un mois\u00a0: pas de nouvelle relance.",
        )
    if not reminded and not skipped:
        messages.info(
            request, "Personne à relancer\u00a0: ce profil a été mis à jour ou ne fait plus partie du réseau."
        )
    return redirect_to_next(request, fallback)
