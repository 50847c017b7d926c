// Validates lieux in the national « schéma des lieux de médiation numérique » with the reference
// library of the national cartography (@gouvfr-anct/lieux-de-mediation-numerique, pinned in
// package-lock.json). Reads a JSON array of records on stdin; prints {"checked": n, "failures": [...]}
// and exits 1 when a record fails.
//
// fromSchemaLieuDeMediationNumerique throws on an invalid id, pivot, nom, address, position,
// phone, URL (prise_rdv, fiche_acces_libre) or value of a list; it lets a few fields through
// unchecked, which are checked here with the library's own validators or the schema's rules:
// every field name is one of the schema's, date_maj is a real YYYY-MM-DD date, each courriel passes
// isValidCourriel and each site_web isValidUrl (split on « | », as the library splits every list).
// It does not read `horaires` at all: any string passes.
'use strict';

const lieux = require('@gouvfr-anct/lieux-de-mediation-numerique');

const FIELDS = new Set([
  'id', 'pivot', 'nom', 'commune', 'code_postal', 'code_insee', 'adresse', 'complement_adresse',
  'latitude', 'longitude', 'typologie', 'telephone', 'courriels', 'site_web', 'horaires',
  'presentation_resume', 'presentation_detail', 'source', 'itinerance', 'structure_parente', 'date_maj',
  'services', 'publics_specifiquement_adresses', 'prise_en_charge_specifique', 'frais_a_charge',
  'dispositif_programmes_nationaux', 'formations_labels', 'autres_formations_labels', 'modalites_acces',
  'modalites_accompagnement', 'fiche_acces_libre', 'prise_rdv'
]);
const DATE = /^\d{4}-\d{2}-\d{2}$/u;

function strictErrors(record) {
  const errors = [];
  for (const key of Object.keys(record)) {
    if (!FIELDS.has(key)) errors.push(`champ inconnu du schéma : ${key}`);
  }
  if (!DATE.test(record.date_maj ?? '') || Number.isNaN(new Date(record.date_maj).getTime())) {
    errors.push(`date_maj invalide : ${record.date_maj}`);
  }
  for (const courriel of record.courriels == null ? [] : record.courriels.split('|')) {
    if (!lieux.isValidCourriel(courriel)) errors.push(`courriel invalide : ${courriel}`);
  }
  for (const url of record.site_web == null ? [] : record.site_web.split('|')) {
    if (!lieux.isValidUrl(url)) errors.push(`site_web invalide : ${url}`);
  }
  return errors;
}

function validate(records) {
  const failures = [];
  records.forEach((record, index) => {
    const errors = [];
    try {
      lieux.fromSchemaLieuDeMediationNumerique(record);
    } catch (error) {
      errors.push(`${error.constructor.name}: ${error.message}`);
    }
    errors.push(...strictErrors(record));
    if (errors.length > 0) failures.push({ index, id: record.id ?? null, errors });
  });
  return failures;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
});
process.stdin.on('end', () => {
  const records = JSON.parse(input);
  if (!Array.isArray(records)) {
    process.stdout.write(JSON.stringify({ checked: 0, failures: [{ index: null, id: null, errors: ['pas une liste'] }] }));
    process.exit(1);
  }
  const failures = validate(records);
  process.stdout.write(JSON.stringify({ checked: records.length, failures }));
  process.exit(failures.length > 0 ? 1 : 0);
});
