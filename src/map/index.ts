// map: 2-D positions for the papers (UMAP), their faithfulness, and the self-contained interactive HTML map.

export { seededRandom } from '../random.js';
export { projectMap, resolveMapOptions, MAP_DEFAULTS, MAP_SEED, PREVIOUS_EPOCHS, PREVIOUS_LEARNING_RATE, SPECTRAL_EPOCHS, type MapOptions, type MapParams, type KnnGraph } from './umap.js';
export { trustworthiness, type TrustworthinessOptions } from './trustworthiness.js';
export { renderMap, buildMapData, themeColour, type MapInput, type MapThemeInput, type RenderOptions } from './render.js';
export { escapeHtml, jsonForScript } from './html.js';
export type { MapData, MapTheme } from './client/data.js';
