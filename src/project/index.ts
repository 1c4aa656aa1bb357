// The project store: manifest, typed read and write of every artefact, the one freshness rule, the writer lock.

export { ARTEFACTS, ARTEFACT_NAMES, DEFAULT_PROJECT_DIR, FORMAT_VERSION, type ArtefactEntry, type ArtefactName, type Manifest } from './manifest.js';
export {
  openProject,
  openForWrite,
  withWriter,
  commit,
  closeProject,
  putArtefact,
  dropArtefact,
  setModel,
  setSources,
  hasChanges,
  requireArtefact,
  readArtefactBytes,
  artefactPath,
  freshness,
  requireFresh,
  verifyProject,
  commitToken,
  commandFor,
  shownAs,
  PUBLISHED_MAP,
  VERIFY_ON_LOAD_BYTES,
  type Project,
  type OpenOptions,
  type WriteOptions,
  type PutMeta,
  type Freshness,
  type VerifyEntry,
} from './store.js';
export { readPapers, readSkipped, writePapers, readParseCache, writeParseCache, readEmbeddings, writeEmbeddings, readIndex, writeIndex, readLexical, writeLexical, readKnn, writeKnn, readThemes, writeThemes, readMap, writeMap, readMapHtml, writeMapHtml, toJsonl, type MapFile } from './artefacts.js';
export { LOCK_FILE, type LockInfo } from './lock.js';
