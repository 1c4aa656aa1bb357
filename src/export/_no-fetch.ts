// Stands in for node-fetch in the browser bundle: citation-js imports it to resolve remote input, which papermap never asks for.

/** Refuses: the map page fetches nothing. */
export default function noFetch(): never {
  throw new Error('papermap map: citation-js tried to fetch; the offline map fetches nothing');
}
export const Headers = globalThis.Headers;
