/** Loads a project-owned row for the caller: 404 when it does not exist, 403 when the key's project differs. */
import type { Context } from 'hono';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { Project } from '../../db/entities/index.js';
import { notFound } from '../errors.js';
import { authorizeProject } from '../middleware/auth.js';

export async function findOwned<T extends ObjectLiteral & { project_id: string }>(
  c: Context,
  dataSource: DataSource,
  entity: EntityTarget<T>,
  id: string,
  what: string,
): Promise<T> {
  const row = await dataSource.getRepository(entity).findOneBy({ id } as never);
  if (!row) throw notFound(what, id);
  authorizeProject(c, row.project_id);
  return row;
}

export async function findProject(c: Context, dataSource: DataSource, id: string): Promise<Project> {
  const project = await dataSource.getRepository(Project).findOneBy({ id });
  if (!project) throw notFound('project', id);
  authorizeProject(c, project.id);
  return project;
}

/** 404 unless the project exists; for routes that are public by design (the badge) or authorize after. */
export async function requireProject(dataSource: DataSource, id: string): Promise<void> {
  if (!(await dataSource.getRepository(Project).existsBy({ id }))) throw notFound('project', id);
}
