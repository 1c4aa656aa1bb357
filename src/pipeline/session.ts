// How pipeline steps reach a project: read the last commit without waiting, or write as the one writer and commit.

import { DEFAULT_PROJECT_DIR, openProject, withWriter, type Project } from '../project/index.js';
import type { LockInfo } from '../project/index.js';

/** Which project a pipeline call works on, and how it behaves when another writer holds it. */
export interface Target {
  /** The project directory as the user gave it. Default `.papermap`. */
  project?: string;
  /** Wait for another writer instead of failing with PROJECT_BUSY. Default false. */
  wait?: boolean;
  /** Called when this call has to wait for another writer. */
  onWait?: (holder: LockInfo) => void;
  /** Called with notes for the user (a dead writer's lock taken over). */
  onNote?: (note: string) => void;
}

/** A progress reporter for long work: the CLI draws a bar on a TTY, others pass nothing. */
export type Progress = (label: string) => { onProgress: (done: number, total: number) => void; stop: () => void };

/** A progress reporter that reports nothing. */
export const NO_PROGRESS: Progress = () => ({ onProgress: () => {}, stop: () => {} });

/** Opens the target's last commit to read. */
export function readTarget(target: Target = {}): Project {
  return openProject(target.project ?? DEFAULT_PROJECT_DIR, { given: target.project ?? DEFAULT_PROJECT_DIR });
}

/** Runs `work` as the target's one writer and commits what it staged; `create` makes a new project. */
export function writeTarget<T>(target: Target, command: string, work: (project: Project) => Promise<T> | T, create = false): Promise<T> {
  const dir = target.project ?? DEFAULT_PROJECT_DIR;
  return withWriter(dir, { command, create, given: dir, wait: target.wait, onWait: target.onWait, onNote: target.onNote }, work);
}
