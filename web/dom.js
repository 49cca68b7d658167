// Building DOM nodes without HTML parsing: every string becomes a text node or an attribute
// value, so a movie title or an error message can never turn into markup or script.

/**
 * Creates an element. `props` sets attributes (`className`, `text`, `dataset`, `hidden` and
 * `on` for event listeners are handled specially); `children` are nodes or strings, and strings
 * are inserted as text.
 */
export function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'className') {
            node.className = value;
        } else if (key === 'text') {
            node.textContent = String(value);
        } else if (key === 'dataset') {
            Object.assign(node.dataset, value);
        } else if (key === 'hidden') {
            node.hidden = Boolean(value);
        } else if (key === 'on') {
            for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
        } else if (/^on/i.test(key)) {
            // Inline handlers are code in a string: refused here (and by the page's CSP).
            throw new Error(`el(): use "on: {...}" instead of the ${key} attribute`);
        } else {
            node.setAttribute(key, value === true ? '' : String(value));
        }
    }
    append(node, children);
    return node;
}

/** Appends nodes and strings (as text) to `parent`, skipping null, undefined and false. */
export function append(parent, children) {
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) continue;
        parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return parent;
}

/** Replaces every child of `parent` with `children`. */
export function replaceChildren(parent, ...children) {
    parent.replaceChildren();
    return append(parent, children);
}

/** Text for screen readers only. */
export function srOnly(text) {
    return el('span', { className: 'visually-hidden', text });
}
