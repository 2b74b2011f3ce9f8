/** Dataset reads that the dataset, sample and upload routes share. */
import type { Context } from 'hono';
import type { DataSource } from 'typeorm';
import { DatasetVersion, EvalDataset } from '../../db/entities/index.js';
import { notFound } from '../errors.js';
import { findOwned } from './access.js';
import { serializeDataset } from './serializers.js';

export const findDataset = (c: Context, dataSource: DataSource, id: string) =>
  findOwned(c, dataSource, EvalDataset, id, 'dataset');

export async function latestSampleCount(dataSource: DataSource, dataset: EvalDataset) {
  const version = await dataSource
    .getRepository(DatasetVersion)
    .findOneBy({ dataset_id: dataset.id, version: dataset.version });
  return version?.sample_count ?? 0;
}

export async function datasetJson(dataSource: DataSource, dataset: EvalDataset) {
  return serializeDataset(dataset, await latestSampleCount(dataSource, dataset));
}

/** A version of the dataset: the given number, or the latest. */
export async function findVersion(dataSource: DataSource, dataset: EvalDataset, version?: number) {
  const wanted = version ?? dataset.version;
  const row = await dataSource
    .getRepository(DatasetVersion)
    .findOneBy({ dataset_id: dataset.id, version: wanted });
  if (!row) throw notFound(`dataset ${dataset.id} version`, String(wanted));
  return row;
}

export async function listDatasets(
  dataSource: DataSource,
  projectId: string,
  opts: { offset: number; limit: number; includeArchived: boolean },
) {
  const archived = opts.includeArchived ? '' : 'AND d.archived_at IS NULL';
  const rows: (EvalDataset & { sample_count: number })[] = await dataSource.query(
    `SELECT d.*, coalesce(v.sample_count, 0) AS sample_count
       FROM eval_datasets d LEFT JOIN dataset_versions v ON v.dataset_id = d.id AND v.version = d.version
      WHERE d.project_id = $1 ${archived}
      ORDER BY d.created_at, d.id OFFSET $2 LIMIT $3`,
    [projectId, opts.offset, opts.limit],
  );
  const [{ total }] = await dataSource.query(
    `SELECT count(*)::int AS total FROM eval_datasets d WHERE d.project_id = $1 ${archived}`,
    [projectId],
  );
  return { items: rows.map((r) => serializeDataset(r, r.sample_count)), total: total as number };
}
