"""The partners of the Loire demo (``demo/data/loire/partners.json``): the SPIE, the CAF, France Travail
Saint-Étienne, the regional hub, the CCAS network, the Département's network of médiathèques, a mission
locale — each with an invented contact person (example.org address, 04 65 71 90 xx number, the range
the ARCEP keeps for fiction) and demo members who know them — and two members' suggestions waiting
for the coordination.

A partner is found by its département and name before it is created, an acquaintance by its pair:
a second run creates nothing. Eight queries, whatever the content.
"""

from datetime import timedelta

from django.db.models import Case, Value, When
from django.utils import timezone

from advisors.models import Advisor
from animation.enums import PartnerScope, PartnerStatus
from animation.models import Partner, PartnerAcquaintance
from demo.content import LOIRE, read
from territories.models import EPCI, Commune
from territories.text import normalize

PARTNERS = read("loire", "partners")
COORDINATOR_EMAIL = LOIRE.people["coordinators"][0]["email"]


def _territory(spec, communes, epcis):
    """``(scope, commune, epci)``; a commune or EPCI missing from the database (a test with a few
    communes) makes the partner départemental rather than leaving it without a territory."""
    scope = spec.get("scope", PartnerScope.DEPARTEMENT)
    if scope == PartnerScope.COMMUNE and spec["commune"] in communes:
        return scope, communes[spec["commune"]], None
    if scope == PartnerScope.EPCI and spec["epci"] in epcis:
        return scope, None, epcis[spec["epci"]]
    if scope in (PartnerScope.COMMUNE, PartnerScope.EPCI):
        return PartnerScope.DEPARTEMENT, None, None
    return scope, None, None


def partners_ensure(*, departement, report):
    """Create the demo partners and acquaintances that are missing: eight queries, in bulk."""
    emails = {COORDINATOR_EMAIL} | {spec.get("suggested_by", "") for spec in PARTNERS}
    emails |= {known["email"] for spec in PARTNERS for known in spec.get("known_by", [])}
    found = Advisor.objects.filter(user__email__in=emails).select_related("user")
    advisors = {advisor.user.email: advisor for advisor in found}
    coordinator = advisors.get(COORDINATOR_EMAIL)
    existing = {partner.name: partner for partner in Partner.objects.in_departement(departement)}
    missing = [spec for spec in PARTNERS if spec["name"] not in existing]
    communes = Commune.objects.filter(
        departement=departement, code__in={spec["commune"] for spec in missing if "commune" in spec}
    )
    communes = {commune.code: commune for commune in communes}
    epcis = EPCI.objects.in_departement(departement).filter(
        siren__in={spec["epci"] for spec in missing if "epci" in spec}
    )
    epcis = {epci.siren: epci for epci in epcis}
    now = timezone.now()
    new, dates = [], {}
    for spec in missing:
        scope, commune, epci = _territory(spec, communes, epcis)
        suggester = advisors.get(spec.get("suggested_by", ""))
        suggested = suggester is not None
        by = suggester if suggested else coordinator
        partner = Partner(
            departement=departement,
            name=spec["name"],
            kind=spec["kind"],
            scope=scope,
            commune=commune,
            epci=epci,
            description=spec.get("description", ""),
            website=spec.get("website", ""),
            contact_name=spec.get("contact_name", ""),
            contact_role=spec.get("contact_role", ""),
            contact_email=spec.get("contact_email", ""),
            contact_phone=spec.get("contact_phone", ""),
            status=PartnerStatus.SUGGESTED if suggested else PartnerStatus.PUBLISHED,
            suggested_by=by.user if by else None,
            decided_by=None if suggested or coordinator is None else coordinator.user,
            decided_at=None if suggested else now,
        )
        # What Partner.save() computes, written here since bulk_create does not call it.
        partner.search_text = normalize(" ".join([partner.name, partner.contact_name, partner.description]))
        new.append(partner)
        # A suggestion waits since a few days; the published partners date from the network's start.
        dates[partner.name] = now - timedelta(days=spec.get("days_ago", 120))
    Partner.objects.bulk_create(new)
    if new:
        # created_at and updated_at are set on insert (auto_now_add, auto_now): dated back in one update.
        dated = Case(*(When(pk=partner.pk, then=Value(dates[partner.name])) for partner in new))
        Partner.objects.filter(pk__in=[partner.pk for partner in new]).update(created_at=dated, updated_at=dated)
    existing.update((partner.name, partner) for partner in new)
    known = set(
        PartnerAcquaintance.objects.filter(partner__departement=departement).values_list("partner_id", "advisor_id")
    )
    acquaintances = []
    for spec in PARTNERS:
        partner = existing[spec["name"]]
        for item in spec.get("known_by", []):
            advisor = advisors.get(item["email"])
            if advisor is None or (partner.pk, advisor.pk) in known:
                continue
            known.add((partner.pk, advisor.pk))
            acquaintances.append(PartnerAcquaintance(partner=partner, advisor=advisor, note=item.get("note", "")))
    PartnerAcquaintance.objects.bulk_create(acquaintances)
    report.partners = len(new)
    report.partner_acquaintances = len(acquaintances)
