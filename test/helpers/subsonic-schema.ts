// Every /rest answer the Subsonic tests receive is checked against the published schemas:
// XML against the Subsonic 1.16.1 XSD with OpenSubsonic's additions, by libxml2 itself (xmllint,
// compiled to WebAssembly by the xmllint-wasm package, so `npm ci` brings it: no system package),
// JSON and JSONP against the OpenSubsonic OpenAPI schema of the method, by ajv. See
// test/fixtures/subsonic/README.md for where the schemas come from.
//
// JSON is checked as it arrives. libxml2 runs in a worker that takes a few hundred milliseconds to
// start, so XML answers are queued and checked together after each test (useSubsonicSchemas), and
// the test fails naming the request and libxml2's message.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, afterEach } from 'vitest';
import { validateXML } from 'xmllint-wasm';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'subsonic');
const OPENAPI = path.join(FIXTURES, 'openapi');
/** The $id base the OpenAPI files are known by, so their relative $refs resolve among them. */
const BASE = 'https://opensubsonic.test/openapi/';

// ajv-formats is CommonJS: its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

function schemaFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return schemaFiles(file);
    return entry.name.endsWith('.json') ? [file] : [];
  });
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function ajvWithSchemas(): Ajv {
  if (ajv) return ajv;
  // OpenAPI 3.0 adds keywords JSON Schema does not know (externalDocs, example): not strict.
  ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const endpointDirs = fs
    .readdirSync(path.join(OPENAPI, 'endpoints'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(OPENAPI, 'endpoints', e.name));
  for (const file of [...schemaFiles(path.join(OPENAPI, 'schemas')), ...endpointDirs.flatMap(schemaFiles)]) {
    ajv.addSchema(readJson(file), BASE + path.relative(OPENAPI, file).split(path.sep).join('/'));
  }
  return ajv;
}

/**
 * The schema an answer of `method` must match: its endpoint's 200 answer (binary methods: any
 * envelope); for a method the spec does not have, the failure envelope (`inner`: the schema is of
 * what `subsonic-response` holds).
 */
function schemaOf(method: string): { ref: string; inner?: boolean } {
  const endpoint = path.join(OPENAPI, 'endpoints', `${method}.json`);
  const envelope = { ref: `${BASE}schemas/SubsonicResponse.json` };
  if (!/^[A-Za-z0-9]+$/.test(method) || !fs.existsSync(endpoint)) return { ref: `${BASE}schemas/SubsonicResponse/SubsonicFailureResponse.json`, inner: true };
  const answer = ((readJson(endpoint).get as Record<string, unknown>).responses as Record<string, Record<string, unknown>>)['200']!;
  if (typeof answer.$ref === 'string') {
    // A shared answer (EmptySubsonicResponse, BinaryResponse): its JSON schema if it has one.
    const shared = readJson(path.join(OPENAPI, 'endpoints', answer.$ref));
    const json = (shared.content as Record<string, { schema?: { $ref?: string } }>)['application/json'];
    return json?.schema?.$ref ? { ref: new URL(json.schema.$ref, BASE + path.posix.join('responses', path.basename(answer.$ref))).href } : envelope;
  }
  const ref = (answer.content as Record<string, { schema: { $ref: string } }>)['application/json']!.schema.$ref;
  return { ref: new URL(ref, `${BASE}endpoints/${method}.json`).href };
}

function jsonValidator(method: string): ValidateFunction {
  let validate = validators.get(method);
  if (!validate) {
    const { ref, inner } = schemaOf(method);
    // The published schemas leave `subsonic-response` optional; an answer without it is no answer.
    const wrapper = inner
      ? { type: 'object', required: ['subsonic-response'], properties: { 'subsonic-response': { $ref: ref } } }
      : { type: 'object', required: ['subsonic-response'], allOf: [{ $ref: ref }] };
    validate = ajvWithSchemas().compile(wrapper);
    validators.set(method, validate);
  }
  return validate;
}

export const checked = { xml: 0, json: 0 };
const queued: { label: string; body: string }[] = [];

/** Checks one answer of `method`: JSON now (throwing), XML queued for after the test. */
export function checkAnswer(method: string, contentType: string, body: string, label: string): void {
  if (/xml/.test(contentType)) {
    queued.push({ label, body });
    return;
  }
  const json = /javascript/.test(contentType) ? body.replace(/^[\w$.]+\(/, '').replace(/\);$/, '') : body;
  if (!/json|javascript/.test(contentType)) return;
  const validate = jsonValidator(method);
  if (!validate(JSON.parse(json))) {
    throw new Error(
      `${label}: the JSON answer does not match the OpenSubsonic schema: ${JSON.stringify(validate.errors?.slice(0, 5))}\n${json.slice(0, 2000)}`,
    );
  }
  checked.json++;
}

/** Checks the queued XML answers against the XSD; throws naming each one that fails. */
export async function checkQueuedXml(): Promise<void> {
  const docs = queued.splice(0);
  if (docs.length === 0) return;
  const result = await validateXML({
    xml: docs.map((d, i) => ({ fileName: `answer-${i}.xml`, contents: d.body })),
    schema: [{ fileName: 'opensubsonic-additions.xsd', contents: fs.readFileSync(path.join(FIXTURES, 'opensubsonic-additions.xsd'), 'utf8') }],
    preload: [{ fileName: 'subsonic-rest-api-1.16.1.xsd', contents: fs.readFileSync(path.join(FIXTURES, 'subsonic-rest-api-1.16.1.xsd'), 'utf8') }],
  });
  checked.xml += docs.length;
  if (result.valid) return;
  const failures = result.errors
    .filter((e) => e.loc)
    .map((e) => {
      const doc = docs[Number(/answer-(\d+)\.xml/.exec(e.loc!.fileName)?.[1])]!;
      return `${doc.label}: ${e.message}\n  ${doc.body.slice(0, 600)}`;
    });
  throw new Error(`XML answers that do not match the XSD:\n${failures.join('\n')}`);
}

/** The method a /rest URL names. */
const methodOf = (url: URL) => url.pathname.replace(/^\/rest\//, '').replace(/\.view$/, '');

/** fetch, with every /rest answer checked against the schemas (XML after the test). */
export const checkedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const type = res.headers.get('content-type') ?? '';
  if (url.pathname.startsWith('/rest/') && /xml|json|javascript/.test(type) && res.status !== 304) {
    const method = methodOf(url);
    checkAnswer(method, type, await res.clone().text(), `${init?.method ?? 'GET'} /rest/${method}`);
  }
  return res;
};

/** Registers the hooks: the queued XML answers are checked after each test; the counts are printed with SUBSONIC_SCHEMA_COUNTS=1. */
export function useSubsonicSchemas(): void {
  afterEach(checkQueuedXml);
  afterAll(() => {
    if (process.env.SUBSONIC_SCHEMA_COUNTS) console.log(`subsonic schema checks: ${checked.xml} XML, ${checked.json} JSON`);
  });
}
