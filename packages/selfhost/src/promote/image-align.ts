import { isMap, isScalar, parseDocument, type Scalar } from 'yaml';
import { ComposeFileError } from './promote-errors.js';

/** One service whose image the target takes over from the source. */
export interface ImageChange {
  readonly service: string;
  readonly from: string;
  readonly to: string;
}

export interface ImageAlignment {
  /** The target's compose file with the new image values, every other byte unchanged. */
  readonly composeFile: string;
  readonly changes: readonly ImageChange[];
  /** Services with an image only the source has (not added to the target). */
  readonly sourceOnly: readonly string[];
  /** Services with an image only the target has (left as they are). */
  readonly targetOnly: readonly string[];
}

function serviceImages(text: string, composeId: string): Map<string, Scalar> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new ComposeFileError(composeId, doc.errors[0]?.message ?? 'YAML error', {
      cause: doc.errors[0],
    });
  const services = doc.get('services', true);
  if (!isMap(services)) throw new ComposeFileError(composeId, 'it has no services map');
  const out = new Map<string, Scalar>();
  for (const pair of services.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (!name || !isMap(pair.value)) continue;
    const image = pair.value.get('image', true);
    if (isScalar(image) && typeof image.value === 'string' && image.range) out.set(name, image);
  }
  return out;
}

/** The new value written in the old one's style (quotes kept; plain when it is safe plain). */
function render(node: Scalar, value: string): string {
  if (node.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (node.type === 'QUOTE_SINGLE') return `'${value.replaceAll("'", "''")}'`;
  return /^[A-Za-z0-9][A-Za-z0-9._/:@${}-]*$/.test(value) ? value : JSON.stringify(value);
}

/**
 * Gives the target compose file the source's image for every service both have. Only the image
 * values change: comments, order, quoting and every other line stay byte for byte, so the
 * change can be reviewed as a diff and rolled back from the history.
 */
export function alignImages(
  sourceFile: string,
  targetFile: string,
  ids: { source: string; target: string } = { source: 'source', target: 'target' },
): ImageAlignment {
  const source = serviceImages(sourceFile, ids.source);
  const target = serviceImages(targetFile, ids.target);
  const changes: ImageChange[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  for (const [service, node] of target) {
    const wanted = source.get(service)?.value as string | undefined;
    const current = node.value as string;
    if (wanted === undefined || wanted === current) continue;
    const [start, end] = node.range as [number, number, number];
    edits.push({ start, end, text: render(node, wanted) });
    changes.push({ service, from: current, to: wanted });
  }
  let composeFile = targetFile;
  for (const e of edits.sort((a, b) => b.start - a.start))
    composeFile = composeFile.slice(0, e.start) + e.text + composeFile.slice(e.end);
  return {
    composeFile,
    changes,
    sourceOnly: [...source.keys()].filter((s) => !target.has(s)),
    targetOnly: [...target.keys()].filter((s) => !source.has(s)),
  };
}
