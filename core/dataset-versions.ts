/**
 * Dataset versions are immutable: every change (add, edit, delete, upload) writes a new version in
 * one transaction — the untouched samples are copied server-side with INSERT … SELECT (keeping their
 * sample_key and position), new rows go in with multi-row INSERT … SELECT FROM unnest(…). Runs keep
 * pointing at the version they used. The dataset row is locked FOR UPDATE, so concurrent edits
 * queue up and version numbers never collide.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { DatasetVersion } from '../db/entities/index.js';
import { conflict, notFound, unprocessable } from './errors.js';
import { SampleKeyAllocator } from './sample-keys.js';

/** A sample as a new version receives it (the API validates its fields at the boundary). */
export interface SampleInput {
  input_text: string;
  system_prompt?: string | null;
  reference_output?: string | null;
  metadata?: Record<string, unknown> | null;
  sample_key?: string;
}

/** Rows per INSERT statement: big enough to amortise round trips, small enough for the parameter arrays. */
export const INSERT_BATCH_ROWS = 5_000;
/** Also cut a batch at this many bytes of text so one statement stays a few MB. */
export const INSERT_BATCH_BYTES = 8 * 1024 * 1024;
/** Row errors listed in one 422; the total count is always given. */
export const MAX_REPORTED_ROW_ERRORS = 100;

export interface RowError {
  /** 1-based data row (CSV: record after the header; JSON: array element; JSONL: non-empty line). */
  row: number;
  /** 1-based line in the file where the row starts (CSV and JSONL). */
  line?: number;
  field: string | null;
  reason: string;
}

export function rowErrors(errors: RowError[], message = 'some rows are invalid; nothing was stored') {
  return unprocessable('invalid_rows', message, {
    errors: errors.slice(0, MAX_REPORTED_ROW_ERRORS),
    error_count: errors.length,
    truncated: errors.length > MAX_REPORTED_ROW_ERRORS,
  });
}

export interface VersionChange {
  datasetId: string;
  /** 409 unless the latest version is this one. */
  baseVersion?: number;
  note: string | null;
  /** Samples of the latest version to carry over: all, none (replace), or all but these keys. */
  keep: 'all' | 'none' | { except: string[] };
  /** Edited samples: same key and position as before, new content. */
  update?: Array<{ sample_key: string; patch: Partial<SampleInput> }>;
  add?: SampleInput[];
  /** Maps an index in `add` to the row a user knows (upload row and line) for error reports. */
  rowOf?: (index: number) => Pick<RowError, 'row' | 'line'>;
  /** sha256 of the file the version is made from (a dataset file named by an evalforge.yaml). */
  contentSha256?: string;
}

export interface VersionChangeResult {
  version: DatasetVersion;
  added: number;
  updated: number;
  removed: number;
}

interface LatestVersion {
  datasetVersion: number;
  versionId: string | null;
}

async function lockDataset(m: EntityManager, datasetId: string): Promise<LatestVersion> {
  const [dataset]: { version: number; archived_at: Date | null }[] = await m.query(
    'SELECT version, archived_at FROM eval_datasets WHERE id = $1 FOR UPDATE',
    [datasetId],
  );
  if (!dataset) throw notFound('dataset', datasetId);
  if (dataset.archived_at)
    throw conflict('archived', `dataset ${datasetId} is archived; unarchive it to change it`);
  const [v]: { id: string }[] = await m.query(
    'SELECT id FROM dataset_versions WHERE dataset_id = $1 AND version = $2',
    [datasetId, dataset.version],
  );
  return { datasetVersion: dataset.version, versionId: v?.id ?? null };
}

export async function createVersion(
  dataSource: DataSource,
  change: VersionChange,
): Promise<VersionChangeResult> {
  return dataSource.transaction(async (m) => {
    const latest = await lockDataset(m, change.datasetId);
    if (change.baseVersion !== undefined && change.baseVersion !== latest.datasetVersion) {
      throw conflict(
        'version_conflict',
        `dataset changed: based on version ${change.baseVersion}, the latest is ${latest.datasetVersion}`,
        { base_version: change.baseVersion, latest_version: latest.datasetVersion },
      );
    }
    const oldRows: { sample_key: string; position: number }[] = latest.versionId
      ? await m.query('SELECT sample_key, position FROM eval_samples WHERE dataset_version_id = $1', [
          latest.versionId,
        ])
      : [];
    const oldPositions = new Map(oldRows.map((r) => [r.sample_key, r.position]));

    const excluded = new Set<string>();
    if (typeof change.keep === 'object') {
      const missing = change.keep.except.filter((k) => !oldPositions.has(k));
      if (missing.length) throw notFound(`sample in dataset ${change.datasetId}`, missing.join(', '));
      for (const k of change.keep.except) excluded.add(k);
    }
    for (const u of change.update ?? []) {
      if (!oldPositions.has(u.sample_key))
        throw notFound(`sample in dataset ${change.datasetId}`, u.sample_key);
      excluded.add(u.sample_key);
    }

    // Everything that can reject the change is checked before anything is written.
    const updates = await editedRows(m, latest.versionId, change.update ?? []);
    const keysInNewVersion = new Set(
      change.keep === 'none'
        ? []
        : oldRows.map((r) => r.sample_key).filter((k) => !excluded.has(k) || updates.has(k)),
    );
    const additions = assignKeys(change.add ?? [], keysInNewVersion, change.rowOf);
    const maxPosition =
      change.keep === 'none' ? -1 : oldRows.reduce((max, r) => Math.max(max, r.position), -1);
    const newRows: InsertRow[] = [
      ...[...updates.values()].map((r) => ({ ...r, position: oldPositions.get(r.sample_key)! })),
      ...additions.map((r, i) => ({ ...r, position: maxPosition + 1 + i })),
    ];
    const [version] = (await m.query(
      `INSERT INTO dataset_versions (dataset_id, version, note, content_sha256) VALUES ($1, $2, $3, $4)
       RETURNING id, dataset_id, version, sample_count, note, content_sha256, created_at`,
      [change.datasetId, latest.datasetVersion + 1, change.note, change.contentSha256 ?? null],
    )) as DatasetVersion[];

    const kept = change.keep === 'none' ? 0 : oldRows.length - excluded.size;
    if (kept > 0) {
      await m.query(
        `INSERT INTO eval_samples (dataset_id, dataset_version_id, sample_key, position, input_text, system_prompt, reference_output, metadata)
         SELECT dataset_id, $2, sample_key, position, input_text, system_prompt, reference_output, metadata
           FROM eval_samples WHERE dataset_version_id = $1 AND NOT (sample_key = ANY($3::varchar[]))`,
        [latest.versionId, version.id, [...excluded]],
      );
    }

    await insertSamples(m, change.datasetId, version.id, newRows);

    const sampleCount = kept + newRows.length;
    await m.query('UPDATE dataset_versions SET sample_count = $2 WHERE id = $1', [version.id, sampleCount]);
    await m.query('UPDATE eval_datasets SET version = $2, updated_at = now() WHERE id = $1', [
      change.datasetId,
      version.version,
    ]);
    const removed = change.keep === 'none' ? oldRows.length : excluded.size - updates.size;
    return {
      version: { ...version, sample_count: sampleCount },
      added: additions.length,
      updated: updates.size,
      removed,
    };
  });
}

/** Version 1 of a new dataset, with its first samples. */
export async function createDatasetWithSamples(
  dataSource: DataSource,
  input: {
    projectId: string;
    name: string;
    description: string | null;
    tags: string[];
    samples: SampleInput[];
    note?: string;
    /** sha256 of the file version 1 is made from (see VersionChange.contentSha256). */
    contentSha256?: string;
  },
) {
  return dataSource.transaction(async (m) => {
    const [dataset]: { id: string }[] = await m.query(
      `INSERT INTO eval_datasets (project_id, name, description, tags, version) VALUES ($1, $2, $3, $4, 1) RETURNING id`,
      [input.projectId, input.name, input.description, input.tags],
    );
    const rows = assignKeys(input.samples, new Set()).map((r, i) => ({ ...r, position: i }));
    const [version]: { id: string }[] = await m.query(
      `INSERT INTO dataset_versions (dataset_id, version, sample_count, note, content_sha256)
       VALUES ($1, 1, $2, $3, $4) RETURNING id`,
      [
        dataset.id,
        rows.length,
        input.note ?? (rows.length ? `created with ${rows.length} samples` : 'created'),
        input.contentSha256 ?? null,
      ],
    );
    await insertSamples(m, dataset.id, version.id, rows);
    return dataset.id;
  });
}

interface InsertRow {
  sample_key: string;
  position: number;
  input_text: string;
  system_prompt: string | null;
  reference_output: string | null;
  metadata: Record<string, unknown>;
}

async function editedRows(
  m: EntityManager,
  fromVersionId: string | null,
  updates: NonNullable<VersionChange['update']>,
): Promise<Map<string, Omit<InsertRow, 'position'>>> {
  const out = new Map<string, Omit<InsertRow, 'position'>>();
  if (!updates.length || !fromVersionId) return out;
  const current: Omit<InsertRow, 'position'>[] = await m.query(
    `SELECT sample_key, input_text, system_prompt, reference_output, metadata FROM eval_samples
      WHERE dataset_version_id = $1 AND sample_key = ANY($2::varchar[])`,
    [fromVersionId, updates.map((u) => u.sample_key)],
  );
  const byKey = new Map(current.map((r) => [r.sample_key, r]));
  for (const { sample_key, patch } of updates) {
    const before = byKey.get(sample_key)!;
    out.set(sample_key, {
      sample_key,
      input_text: patch.input_text ?? before.input_text,
      system_prompt: patch.system_prompt === undefined ? before.system_prompt : patch.system_prompt,
      reference_output:
        patch.reference_output === undefined ? before.reference_output : patch.reference_output,
      metadata: patch.metadata ?? before.metadata,
    });
  }
  return out;
}

/** Keys for new samples: given keys must be new in the version; missing ones are derived from content. */
function assignKeys(
  samples: SampleInput[],
  taken: Set<string>,
  rowOf: VersionChange['rowOf'] = (i) => ({ row: i + 1 }),
): Omit<InsertRow, 'position'>[] {
  const keys = new SampleKeyAllocator(taken);
  const errors: RowError[] = [];
  // Given keys first, so a derived key never takes a key that a later row names explicitly.
  samples.forEach((s, i) => {
    if (s.sample_key === undefined) return;
    if (keys.has(s.sample_key)) {
      errors.push({
        ...rowOf(i),
        field: 'sample_key',
        reason: `sample_key "${s.sample_key}" is already used in this version`,
      });
    }
    keys.claim(s.sample_key);
  });
  if (errors.length) throw rowErrors(errors);
  return samples.map((s) => ({
    sample_key: s.sample_key ?? keys.derive(s.system_prompt, s.input_text),
    input_text: s.input_text,
    system_prompt: s.system_prompt ?? null,
    reference_output: s.reference_output ?? null,
    metadata: s.metadata ?? {},
  }));
}

async function insertSamples(m: EntityManager, datasetId: string, versionId: string, rows: InsertRow[]) {
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (
      end < rows.length &&
      end - start < INSERT_BATCH_ROWS &&
      (bytes < INSERT_BATCH_BYTES || end === start)
    ) {
      const r = rows[end];
      bytes += r.input_text.length + (r.system_prompt?.length ?? 0) + (r.reference_output?.length ?? 0);
      end++;
    }
    const batch = rows.slice(start, end);
    await m.query(
      `INSERT INTO eval_samples (dataset_id, dataset_version_id, sample_key, position, input_text, system_prompt, reference_output, metadata)
       SELECT $1, $2, k, p, i, s, r, md
         FROM unnest($3::varchar[], $4::int[], $5::text[], $6::text[], $7::text[], $8::jsonb[]) AS u(k, p, i, s, r, md)`,
      [
        datasetId,
        versionId,
        batch.map((r) => r.sample_key),
        batch.map((r) => r.position),
        batch.map((r) => r.input_text),
        batch.map((r) => r.system_prompt),
        batch.map((r) => r.reference_output),
        batch.map((r) => JSON.stringify(r.metadata)),
      ],
    );
    start = end;
  }
}
