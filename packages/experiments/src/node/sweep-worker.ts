// The piscina worker of `runSweep`: finds the experiment (the registry, or the module the caller
// named), starts the job's backend, and runs one job. Its return value is the job's output.
import { setBackend } from '@ddopt/tensor';
import type { Experiment, JobConfig, JobOutput } from '../contract.js';
import { experimentById } from '../registry.js';

/** The message one job is: data only. */
export interface SweepTask {
  experimentId: string;
  /** URL of a module exporting the experiment; absent: the registry. */
  moduleUrl?: string;
  job: JobConfig;
}

const cache = new Map<string, Experiment>();

async function find(task: SweepTask): Promise<Experiment> {
  const key = `${task.moduleUrl ?? ''}#${task.experimentId}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let found: Experiment | undefined;
  if (task.moduleUrl === undefined) found = experimentById(task.experimentId);
  else {
    const mod = (await import(task.moduleUrl)) as Record<string, unknown>;
    found = Object.values(mod).find((v): v is Experiment => typeof v === 'object' && v !== null && (v as Experiment).id === task.experimentId);
    if (!found) throw new Error(`sweep worker: module ${task.moduleUrl} exports no experiment "${task.experimentId}"`);
  }
  if (!found.sweep) throw new Error(`sweep worker: experiment "${task.experimentId}" declares no sweep`);
  cache.set(key, found);
  return found;
}

let backend: string | undefined;

/** Runs one job of a sweep (piscina calls the default export). */
export default async function runTask(task: SweepTask): Promise<JobOutput> {
  const experiment = await find(task);
  if (backend !== task.job.backend) {
    if (task.job.backend === 'wasm') await import('@ddopt/tensor/wasm');
    await setBackend(task.job.backend);
    backend = task.job.backend;
  }
  return (experiment.sweep as NonNullable<Experiment['sweep']>).job(task.job);
}
