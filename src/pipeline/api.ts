// The server's queries over a project: papers, index and themes of the last commit, reloaded when a writer commits.

import { optionsForModelId, startEmbedWorker, type EmbedWorker, type EmbedWorkerOptions } from '../embed/index.js';
import { PapermapError } from '../errors.js';
import { commitToken, readMapHtml, readThemes, type Project } from '../project/index.js';
import type { Paper } from '../records.js';
import type { ServerApi } from '../server/index.js';
import { openRelated, type QueryEmbedder, type Related, type RelatedMode } from './related.js';
import { readTarget, type Target } from './session.js';
import { themesWords } from './themes.js';

/** How often the API looks for a new commit, at most, in ms. */
const RELOAD_CHECK_MS = 500;

/**
 * Similar-paper answers kept per commit, oldest dropped first past this many. An answer depends only on the commit and
 * the query (ref, k, mode), so it is computed once: a similar query costs ~3–15 ms of the main thread (BM25 over the
 * paper's terms, fusion, explanations; bench/serve.ts), a kept one a map lookup, which is what lets one thread answer
 * a crowd of map readers. 4,096 answers of 10 hits take a few MB.
 */
const SIMILAR_ANSWERS_KEPT = 4096;

type SimilarAnswer = Awaited<ReturnType<Related['similar']>>;

interface Loaded {
  token: string;
  project: Project;
  related: Related;
  themesBody: unknown;
  /** Answers by JSON [ref, k, mode], for this commit only. */
  similarAnswers: Map<string, Promise<SimilarAnswer>>;
}

function load(target: Target, embedQuery: QueryEmbedder): Loaded {
  const token = commitToken(target.project ?? '.papermap');
  const project = readTarget(target);
  const related = openRelated(project, { embedQuery });
  const themes = project.manifest.artefacts.themes ? readThemes(project) : { themes: [] };
  // The paper ids of each theme are in /api/papers; the themes answer stays small.
  const themesBody = { ...themes, words: themesWords(project), themes: (themes.themes ?? []).map(({ paperIds: _ids, ...rest }) => rest) };
  return { token, project, related, themesBody, similarAnswers: new Map() };
}

/**
 * The server's API over a project. It answers from the last commit and, at most every half second, checks whether a
 * writer has committed since; if so it loads the new state (and keeps answering from the old one if that fails).
 * Search texts are embedded in a child process (started by warm() or the first search, ended by close), so the thread
 * that answers HTTP, HNSW and BM25 queries never waits for inference; similar answers are kept per commit.
 */
export function projectApi(target: Target, options: { embedWorker?: Partial<EmbedWorkerOptions> } = {}): ServerApi & { projectDir: string; warm(): void } {
  const worker: EmbedWorker = startEmbedWorker(options.embedWorker);
  const embedQuery: QueryEmbedder = (texts, options) => worker.embedTexts(texts, options);
  let current = load(target, embedQuery);
  let checkedAt = Date.now();
  const fresh = (): Loaded => {
    const now = Date.now();
    if (now - checkedAt < RELOAD_CHECK_MS) return current;
    checkedAt = now;
    if (commitToken(target.project ?? '.papermap') === current.token) return current;
    try {
      const previous = current;
      current = load(target, embedQuery);
      // Requests still answering from the old state keep its store connection a while.
      setTimeout(() => void previous.related.close().catch(() => {}), 60_000).unref();
    } catch {
      // A commit that cannot be loaded (stale index after an ingest, say) leaves the last good state in service.
    }
    return current;
  };
  return {
    projectDir: current.project.dir,
    /** Starts the embedding worker and loads the project's model in the background, so the first search is fast. */
    warm: () => {
      const modelId = current.project.manifest.model?.id;
      if (!modelId) return;
      try {
        void worker.embedTexts(['warm up'], optionsForModelId(modelId)).catch(() => {});
      } catch {
        // an unknown model id is reported by the first search, with its fix
      }
    },
    mapHtml: () => {
      const c = fresh();
      try {
        return readMapHtml(c.project);
      } catch {
        return undefined;
      }
    },
    paper(id): Paper {
      const paper = fresh().related.papers.get(id);
      if (!paper) throw new PapermapError('NOT_FOUND', `no paper with id '${id.slice(0, 200)}'`, undefined, 'ids look like arxiv:2401.00001 or doi:10.1000/xyz');
      return paper;
    },
    similar: (ref, k, mode) => {
      const c = fresh();
      const key = JSON.stringify([ref, k, mode ?? null]);
      let answer = c.similarAnswers.get(key);
      if (!answer) {
        answer = c.related.similar(ref, k, mode ? { mode: mode as RelatedMode } : {});
        // Errors (unknown or ambiguous paper) are not kept: they are cheap, and a bad ref must not fill the map.
        answer.catch(() => c.similarAnswers.delete(key));
        if (c.similarAnswers.size >= SIMILAR_ANSWERS_KEPT) c.similarAnswers.delete(c.similarAnswers.keys().next().value as string);
        c.similarAnswers.set(key, answer);
      }
      return answer;
    },
    search: (text, k, mode) => fresh().related.search(text, k, mode ? { mode: mode as RelatedMode } : {}),
    themes: () => fresh().themesBody,
    close: async () => {
      await worker.close();
      await current.related.close();
    },
  };
}
