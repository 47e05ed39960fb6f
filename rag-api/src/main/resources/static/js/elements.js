// Builds DOM nodes from trusted structure and untrusted text: strings only ever become Text nodes, never markup.

/**
 * Creates an element.
 * @param {string} tag
 * @param {Object<string, *>} [attributes] `class`, `text`, `on<event>` handlers, `hidden`, or any attribute;
 *   null/undefined/false values are skipped
 * @param {...(Node|string|null|undefined)} children strings are added as text
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class') node.className = value;
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, ...children);
  return node;
}

/** Appends nodes and strings (as text) to a parent, skipping null/undefined. */
export function append(parent, ...children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child of a node. */
export function clear(node) {
  node.replaceChildren();
  return node;
}
