// Wires the page: two views switched by the URL hash (#chat, #documents), the chat, the source panel, the
// documents view, and the collection choices both share.
import { el, clear } from './elements.js';
import { Chat } from './chat.js';
import { Documents } from './documents.js';
import { SourcePanel } from './sources.js';

const $ = (id) => document.getElementById(id);

const panel = new SourcePanel({
  panel: $('source-panel'), heading: $('source-heading'), body: $('source-body'), close: $('source-close'),
});

new Chat({
  form: $('ask-form'), question: $('question'), collection: $('collection'), send: $('send'), stop: $('stop'),
  conversation: $('conversation'), intro: $('intro'), newConversation: $('new-conversation'),
}, panel);

const documents = new Documents({
  uploadForm: $('upload-form'), files: $('upload-files'), collection: $('upload-collection'),
  uploadButton: $('upload-button'), uploadStatus: $('upload-status'), refresh: $('refresh-documents'),
  listStatus: $('documents-status'), table: $('documents-table'), body: $('documents-body'),
  confirm: $('confirm-delete'), confirmText: $('confirm-text'),
}, showCollections);

/** Collections exist only through their documents: offer the ones that hold some. */
function showCollections(docs) {
  const names = [...new Set(docs.map((d) => d.collection))].sort();
  const select = $('collection');
  const chosen = select.value;
  clear(select).append(el('option', { value: '', text: 'All collections' }),
    ...names.map((name) => el('option', { value: name, text: name })));
  select.value = names.includes(chosen) ? chosen : '';
  clear($('collection-names')).append(...names.map((name) => el('option', { value: name })));
  $('empty-index').hidden = docs.length > 0;
}

function route() {
  const view = location.hash === '#documents' ? 'documents' : 'chat';
  $('chat-view').hidden = view !== 'chat';
  $('documents-view').hidden = view !== 'documents';
  for (const name of ['chat', 'documents']) {
    const link = $(`nav-${name}`);
    if (name === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (view === 'documents') {
    documents.load();
  } else {
    $('question').focus();
  }
}

window.addEventListener('hashchange', route);
route();
// The chat needs the collections and the empty-index hint too; the documents view loads them itself.
if (location.hash !== '#documents') documents.load();
