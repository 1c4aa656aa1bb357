// papermap's library surface: re-exports only. Each stage is usable on its own; the CLI composes them.

export * from './records.js';
export { PapermapError, isPapermapError, type ErrorCode, type ErrorLocation } from './errors.js';
export { ingest, readText, readBytes, detectFormat, readRegularFile, skipLocation, INGEST_DEFAULTS, MAX_FIELD_CHARS, type IngestOptions, type IngestResult, type FileReport, type DuplicateGroup, type ParseCache, type CachedRead } from './ingest/index.js';
export { embed, embedTexts, paperText, optionsForModelId, EMBED_DEFAULTS, type EmbedOptions, type EmbedResult } from './embed/index.js';
export { buildIndex, updateIndex, similar, search, neighbourGraph, exactSearch, exactNeighbours, INDEX_DEFAULTS, type IndexOptions, type PaperIndex, type UpdateReport, type QueryOptions, type NeighbourGraph } from './index/index.js';
export { findThemes, THEME_DEFAULTS, DEFAULT_THEMES_SEED, type ThemeOptions, type ThemesResult, type Area, type SubTheme, type YearSizes, type KScore } from './themes/index.js';
export { projectMap, renderMap, trustworthiness, MAP_DEFAULTS, type MapOptions } from './map/index.js';
export { exportPapers, EXPORT_FORMATS, EXPORT_FILES, EXPORT_DEFAULTS, type ExportFormat, type ExportOptions } from './export/index.js';
export { browserScript, type BrowserScriptName } from './browser-script.js';
export { openProject, readIndex, writeIndex, readEmbeddings, readPapers, DEFAULT_PROJECT_DIR, type Project, type Manifest } from './project/index.js';
export { runAll, openRelated, projectApi, exportCommand, type Target, type ExportSelection } from './pipeline/index.js';
export { seededRandom } from './random.js';
