"""The skills map of a territory, its exports for coordinators, and the peer-learning pairs."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from advisors import perms
from common.exports import csv_response, xlsx_response
from common.pagination import paginate
from common.shortcuts import check_or_403
from skills.enums import SkillLevel
from skills.forms import TerritoryForm
from skills.perms import can_export_map
from skills.queries.maps import LEVEL_FIELDS, LEVEL_SHORT, LEVELS, advisor_skill_table, skill_map, territory_from
from skills.queries.matching import attach_masters, pairs_in
from territories.models import Departement
from territories.scope import departement_named, get_current_departement, query_with_departement

FORMATS = ("csv", "xlsx")
# Chart geometry, in pixels: a skill name, then one bar per level.
CHART_ROW = 58
BAR_HEIGHT = 10
BAR_GAP = 3
BAR_MAX_PERCENT = 78


def _chart(block, largest, suffix):
    """Positions of the bars of one domain's chart (an inline SVG: no style attribute, CSP-safe)."""
    rows = []
    for index, row in enumerate(block.rows):
        top = index * CHART_ROW
        bars = []
        for position, level in enumerate(LEVELS):
            value = getattr(row, LEVEL_FIELDS[level])
            width = round(value * BAR_MAX_PERCENT / largest, 2) if largest else 0
            bars.append(
                {
                    "letter": LEVEL_SHORT[level][0],
                    "pattern": f"pattern-{LEVEL_FIELDS[level]}-{suffix}",
                    "y": top + 20 + position * (BAR_HEIGHT + BAR_GAP),
                    "text_y": top + 20 + position * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT - 1,
                    "width": width,
                    "value": value,
                }
            )
        rows.append({"name": row.skill.name, "name_y": top + 15, "bars": bars})
    return {"rows": rows, "height": len(block.rows) * CHART_ROW, "suffix": suffix}


@require_GET
def skills_map(request):
    """The map of a département (``?territoire=42``) or an EPCI (``?territoire=epci-<SIREN>``);
    without a territory, the visitor's département."""
    value = query_with_departement(request, "territoire").get("territoire")
    territory = territory_from(value) if value else None
    if value and territory is None:
        form = TerritoryForm({"territoire": value}, territory=None)
        form.is_valid()
        form.add_error("territoire", "Choisissez un département ou une intercommunalité dans la liste.")
    else:
        form = TerritoryForm(initial={"territoire": territory.value if territory else ""}, territory=territory)
    context = {"form": form, "territory": territory, "levels": [(level, LEVEL_SHORT[level]) for level in LEVELS]}
    if territory is not None:
        skills = skill_map(territory)
        largest = skills.largest
        context.update(
            map=skills,
            charts=[(block, _chart(block, largest, block.domain.slug)) for block in skills.domains if block.rows],
            comparison=_comparison(skills) if territory.is_epci else None,
            can_export=can_export_map(request.user, territory),
        )
    return render(request, "skills/map.html", context)


def _share(count, total):
    return round(100 * count / total) if total else 0


def _comparison(skills):
    return [
        {
            "skill": row.skill,
            "levels": [
                {
                    "here": getattr(row, LEVEL_FIELDS[level]),
                    "here_share": _share(getattr(row, LEVEL_FIELDS[level]), skills.advisors),
                    "ref": getattr(row, f"ref_{LEVEL_FIELDS[level]}"),
                    "ref_share": _share(getattr(row, f"ref_{LEVEL_FIELDS[level]}"), skills.reference_advisors),
                }
                for level in LEVELS
            ],
        }
        for row in skills.rows
    ]


# Exports


def _export(request, fmt, *, kind, title, rows):
    """``rows(territory, user)`` of the ``?territoire=`` territory as a CSV or XLSX file named after
    ``kind``, the territory and the day: coordinators of the territory's département only."""
    if fmt not in FORMATS:
        raise Http404
    territory = territory_from(request.GET.get("territoire"))
    if territory is None:
        raise Http404
    check_or_403(can_export_map, request, territory)
    filename = f"{kind}-{slugify(territory.name)}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    lines = rows(territory, request.user)
    if fmt == "csv":
        return csv_response(lines, filename)
    return xlsx_response(title, lines, filename)


def _map_rows(territory, user):
    skills = skill_map(territory)
    header = ["Domaine", "Compétence", *(SkillLevel(level).label.capitalize() for level in LEVELS)]
    if territory.is_epci:
        header += [f"{SkillLevel(level).label.capitalize()} — {territory.reference.name}" for level in LEVELS]
    header += ["Personne ne maîtrise", "Besoin de formation"]
    yield header
    for row in skills.rows:
        line = [row.skill.domain.name, row.skill.name, row.master, row.practice, row.learn]
        if territory.is_epci:
            line += [row.ref_master, row.ref_practice, row.ref_learn]
        line += ["oui" if row.is_gap else "non", "oui" if row.is_need else "non"]
        yield line


def _table_rows(territory, user):
    skills, advisors = advisor_skill_table(territory, user)
    yield ["Nom", "Prénom", "Structure", "Commune", *(skill.name for skill in skills)]
    labels = {level.value: level.label for level in SkillLevel}
    for advisor, levels in advisors:
        commune = advisor.commune.name if advisor.commune_id else ""
        structure = advisor.structure.name if advisor.structure_id else ""
        yield [
            advisor.user.last_name,
            advisor.user.first_name,
            structure,
            commune,
            *(labels.get(levels.get(skill.pk), "") for skill in skills),
        ]


@require_GET
def map_export(request, fmt):
    """The map's figures, one row per skill: coordinators of the territory's département only."""
    return _export(request, fmt, kind="carte-competences", title="Carte des compétences", rows=_map_rows)


@require_GET
def table_export(request, fmt):
    """One row per visible advisor of the territory, one column per skill, the level in each cell."""
    return _export(request, fmt, kind="conseillers-competences", title="Conseillers et compétences", rows=_table_rows)


# Peer-learning pairs


@require_GET
def pairs(request):
    """Who could learn what from whom in a département: its coordinators only."""
    coordinated = perms.coordinated_departement_codes(request.user)
    # By default the visitor's département if they coordinate it, else the first one they coordinate.
    current = get_current_departement(request)
    default = current.code if current and current.code in coordinated else next(iter(coordinated), "")
    code = request.GET.get("departement") or default
    check_or_403(perms.is_coordinator, request, code)
    departement = departement_named(request, code)
    if departement is None:
        raise Http404
    page = paginate(request, pairs_in(departement, request.user), size="pairs")
    page.object_list = attach_masters(page.object_list)
    return render(
        request,
        "skills/pairs.html",
        {
            "departement": departement,
            "page": page,
            "coordinated": Departement.objects.filter(code__in=coordinated) if len(coordinated) > 1 else None,
        },
    )
