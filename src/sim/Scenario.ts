/**
 * Scenario: the objects a simulator starts with.
 *
 * A scenario is a YAML file of Kubernetes manifests separated by `---` (kinds: Namespace, Service,
 * Endpoints, Pod, EndpointSlice, Ingress, IngressClass; `kind: List` with `items` is unpacked). Objects
 * are applied in file order through the normal create path (defaulting, validation, controllers);
 * missing namespaces are created. Pods without a status are scheduled and started by the simulator.
 *
 * Names: `seed` (the seed documents' cluster, see scenarios/seed.yaml) and `empty`; anything else is a
 * file path. Built-in scenario files are read from src/sim/scenarios at run time (from both src/ and dist/).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const BUILTIN_SCENARIOS = ['seed', 'empty'] as const;

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
