// Citations: the [n] markers of a final answer as buttons, the source list under it, and the side panel that
// shows the cited passage so a reader can check the claim.
import { el, append, clear } from './elements.js';

const MARKER = /\[(\d+)\]/g;

/** A citation's one-line label: title, then file name when it differs, then page. */
export function citationLabel(citation) {
  const parts = [citation.title || citation.source || 'Untitled'];
  if (citation.source && citation.source !== citation.title) parts.push(citation.source);
  if (citation.page) parts.push(`page ${citation.page}`);
  return parts.join(' · ');
}

/** The side panel showing one cited passage. */
export class SourcePanel {
  constructor({ panel, heading, body, close }) {
    this.panel = panel;
    this.heading = heading;
    this.body = body;
    this.active = null;
    this.returnFocus = null;
    close.addEventListener('click', () => this.hide());
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.panel.hidden) this.hide();
    });
  }

  /**
   * Shows a citation; `trigger` is marked as active and gets the focus back when the panel closes. `claim`, the
   * answer's sentence that cites it, is highlighted in the passage when the passage holds it word for word.
   */
  show(citation, trigger, claim = '') {
    this.setActive(trigger);
    this.returnFocus = trigger;
    this.heading.textContent = `Source [${citation.id}]`;
    const facts = el('dl', { class: 'source-facts' });
    const fact = (term, value) => {
      if (value === null || value === undefined || value === '') return;
      append(facts, el('dt', { text: term }), el('dd', { text: value }));
    };
    fact('Document', citation.title);
    fact('File', citation.source);
    fact('Page', citation.page);
    fact('Section', citation.headingPath);
    clear(this.body);
    append(this.body,
      facts,
      el('h3', { class: 'passage-heading', text: 'Cited passage' }),
      highlighted(el('blockquote', { class: 'passage' }), citation.snippet || '(no text)', claim),
      el('p', { class: 'passage-meta', text: `Retrieval score ${Number(citation.score).toFixed(3)}` }));
    this.panel.hidden = false;
    document.body.classList.add('source-open');
    this.heading.focus();
  }

  hide() {
    this.panel.hidden = true;
    document.body.classList.remove('source-open');
    this.setActive(null);
    if (this.returnFocus && this.returnFocus.isConnected) this.returnFocus.focus();
    this.returnFocus = null;
  }

  setActive(trigger) {
    if (this.active) this.active.classList.remove('active');
    this.active = trigger;
    if (trigger) trigger.classList.add('active');
  }
}

/** Writes `text` into `node`, marking the first occurrence of `claim` (without its final stop) if present. */
function highlighted(node, text, claim) {
  const wanted = claim.replace(/[.!?]+$/, '').trim();
  const at = wanted.length >= 12 ? text.indexOf(wanted) : -1;
  if (at < 0) return append(node, text);
  return append(node, text.slice(0, at), el('mark', { text: wanted }), text.slice(at + wanted.length));
}

/** The sentence just before a marker: the claim it supports. */
function claimBefore(text, index) {
  const before = text.slice(0, index).replace(/(\s*\[\d+\])+\s*$/, '').trimEnd();
  const start = Math.max(before.lastIndexOf('. '), before.lastIndexOf('] '), before.lastIndexOf('\n'));
  return before.slice(start + 1).trim();
}

/**
 * Writes a final answer into `target`: each [n] naming a citation becomes a button that opens it; a marker
 * naming none stays plain text (the server renumbers and drops markers, so this should not happen).
 * @returns {Map<number, string>} each cited id's first claim, for the source list
 */
export function renderAnswer(target, text, citations, panel) {
  const byId = new Map(citations.map((c) => [c.id, c]));
  const claims = new Map();
  clear(target);
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    append(target, text.slice(last, match.index));
    const citation = byId.get(Number(match[1]));
    if (citation) {
      const button = el('button', {
        type: 'button', class: 'marker', text: `[${citation.id}]`,
        'aria-label': `Source ${citation.id}: ${citationLabel(citation)}`,
        'data-citation': citation.id,
      });
      const claim = claimBefore(text, match.index);
      if (!claims.has(citation.id)) claims.set(citation.id, claim);
      button.addEventListener('click', () => panel.show(citation, button, claim));
      append(target, button);
    } else {
      append(target, match[0]);
    }
    last = match.index + match[0].length;
  }
  append(target, text.slice(last));
  return claims;
}

/** The numbered source list under an answer. */
export function renderSourceList(citations, panel, claims = new Map()) {
  if (citations.length === 0) return null;
  const list = el('ol', { class: 'source-list', 'aria-label': 'Sources' });
  for (const citation of citations) {
    const button = el('button', { type: 'button', class: 'source-item', 'data-citation': citation.id },
      el('span', { class: 'source-number', text: `[${citation.id}]` }),
      el('span', { class: 'source-title', text: citation.title || citation.source || 'Untitled' }),
      el('span', { class: 'source-detail', text: detail(citation) }));
    button.addEventListener('click', () => panel.show(citation, button, claims.get(citation.id) ?? ''));
    append(list, el('li', {}, button));
  }
  return el('div', { class: 'sources' }, el('h3', { class: 'sources-heading', text: 'Sources' }), list);
}

function detail(citation) {
  const parts = [];
  if (citation.source && citation.source !== citation.title) parts.push(citation.source);
  if (citation.page) parts.push(`p. ${citation.page}`);
  if (citation.headingPath) parts.push(citation.headingPath);
  return parts.join(' · ');
}
