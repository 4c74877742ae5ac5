/**
 * Scenario: the objects a simulator starts with.
 *
 * A scenario is a YAML file of Kubernetes manifests separated by `---` (kinds: Namespace, Service,
 * Endpoints, Pod, EndpointSlice, Ingress, IngressClass and the Gateway API kinds; `kind: List` with `items`
 * is unpacked). Objects
 * are applied in file order through the normal create path (defaulting, validation, controllers);
 * missing namespaces are created. Pods without a status are scheduled and started by the simulator.
 *
 * Names: `seed` (the seed documents' cluster, see scenarios/seed.yaml), `canary` (a Gateway API canary,
 * scenarios/canary.yaml) and `empty`; anything else is a file path. A document annotated
 * `sim.routetrace.dev/apply-after: 30s` is a later step: applied (created or replaced) that long after the
 * start, or when the caller asks for the next step (startSim's `steps: 'manual'`). Built-in scenario files are read from src/sim/scenarios at run time (from both src/ and dist/).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const BUILTIN_SCENARIOS = ['seed', 'canary', 'empty'] as const;

/** Annotation of a later step: the object is applied this long after the start ("90s", "2m", "500ms"). */
export const STEP_ANNOTATION = 'sim.routetrace.dev/apply-after';

export interface ScenarioStep {
  readonly afterMs: number;
  readonly object: Record<string, unknown>;
}

/** A scenario split into the objects applied at once and the later steps (in file order, annotation removed). */
export function splitSteps(objects: readonly Record<string, unknown>[], source: string): { initial: Record<string, unknown>[]; steps: ScenarioStep[] } {
  const initial: Record<string, unknown>[] = [];
  const steps: ScenarioStep[] = [];
  for (const o of objects) {
    const meta = o['metadata'] as { name: string; annotations?: Record<string, string> };
    const after = meta.annotations?.[STEP_ANNOTATION];
    if (after === undefined) {
      initial.push(o);
      continue;
    }
    const m = /^(\d+)(ms|s|m)$/.exec(String(after));
    if (!m) throw new Error(`${source}: ${String(o['kind'])} ${meta.name}: ${STEP_ANNOTATION} must look like 500ms, 30s or 2m, not ${JSON.stringify(after)}`);
    const afterMs = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
    const annotations = { ...meta.annotations };
    delete annotations[STEP_ANNOTATION];
    const metadata: Record<string, unknown> = { ...meta, annotations };
    if (Object.keys(annotations).length === 0) delete metadata['annotations'];
    steps.push({ afterMs, object: { ...o, metadata } });
  }
  return { initial, steps };
}

export function scenarioPath(name: string): string {
  return fileURLToPath(new URL(`../../src/sim/scenarios/${name}.yaml`, import.meta.url));
}

/** Parses a scenario's YAML text into objects; throws with the document number on malformed input. */
export function parseScenario(text: string, source: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const docs = parseAllDocuments(text);
  docs.forEach((doc, i) => {
    if (doc.errors.length) throw new Error(`${source}: document ${i + 1}: ${doc.errors[0]!.message.split('\n')[0]}`);
    const v = doc.toJS() as unknown;
    if (v === null || v === undefined) return;
    if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${source}: document ${i + 1} is not a mapping`);
    const o = v as Record<string, unknown>;
    if (o['kind'] === 'List' && Array.isArray(o['items'])) out.push(...(o['items'] as Record<string, unknown>[]));
    else out.push(o);
  });
  for (const [i, o] of out.entries()) {
    if (typeof o['kind'] !== 'string' || !o['metadata'] || typeof (o['metadata'] as { name?: unknown }).name !== 'string') {
      throw new Error(`${source}: object ${i + 1} needs kind and metadata.name`);
    }
  }
  return out;
}

/** Loads a scenario by name or path. */
export function loadScenario(nameOrPath: string): Record<string, unknown>[] {
  if (nameOrPath === 'empty') return [];
  const path = (BUILTIN_SCENARIOS as readonly string[]).includes(nameOrPath) ? scenarioPath(nameOrPath) : nameOrPath;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`scenario '${nameOrPath}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such built-in scenario or file' : (err as Error).message}`);
  }
  return parseScenario(text, nameOrPath);
}
