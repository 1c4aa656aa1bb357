// DOM helpers for the map page. Paper text only ever enters the page through textContent, never as markup.

/** Creates an element with an optional class and text (set as textContent, so any markup in it shows as text). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The element with this id; the page skeleton always has it. */
export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`papermap map: element #${id} is missing`);
  return node as T;
}
