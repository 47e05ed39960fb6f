// The Documents view: list (GET /api/documents), upload (multipart POST, per-file outcome), delete (confirmed).
import { el, append, clear } from './elements.js';
import { ApiError, deleteDocument, listDocuments, uploadDocuments } from './api.js';

const OUTCOME = { ADDED: 'added', UPDATED: 'updated', UNCHANGED: 'unchanged', FAILED: 'failed' };

export class Documents {
  /**
   * @param {object} parts the page's elements
   * @param {(documents: object[]) => void} onChange told the current documents after every load
   */
  constructor(parts, onChange) {
    Object.assign(this, parts);
    this.onChange = onChange;
    this.uploadForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.upload();
    });
    this.refresh.addEventListener('click', () => this.load());
  }

  async load() {
    try {
      const documents = await listDocuments();
      this.render(documents);
      this.onChange(documents);
      return documents;
    } catch (e) {
      this.say(this.listStatus, e.message, 'error');
      return null;
    }
  }

  render(documents) {
    clear(this.body);
    this.table.hidden = documents.length === 0;
    if (documents.length === 0) {
      this.say(this.listStatus, 'No documents yet. Upload some above to start asking questions.', 'note');
    } else {
      this.say(this.listStatus, `${documents.length} document${documents.length === 1 ? '' : 's'}`, 'quiet');
    }
    for (const doc of documents) {
      const remove = el('button', {
        type: 'button', class: 'button danger small', text: 'Delete',
        'aria-label': `Delete ${doc.source} from ${doc.collection}`,
      });
      remove.addEventListener('click', () => this.remove(doc));
      append(this.body, el('tr', { 'data-document': doc.documentId },
        el('td', { text: doc.collection }),
        el('td', { class: 'file', text: doc.source }),
        el('td', { text: doc.title }),
        el('td', { class: 'num', text: doc.chunkCount }),
        el('td', { class: 'when', text: when(doc.indexedAt) }),
        el('td', { class: 'actions' }, remove)));
    }
  }

  async upload() {
    const files = [...this.files.files];
    if (files.length === 0) {
      this.say(this.uploadStatus, 'Choose one or more files to upload.', 'error');
      this.files.focus();
      return;
    }
    this.uploadButton.disabled = true;
    this.say(this.uploadStatus, `Uploading and indexing ${files.length} file${files.length === 1 ? '' : 's'}…`, 'quiet');
    try {
      const response = await uploadDocuments(files, this.collection.value.trim());
      this.showResults(`Uploaded to ${response.collection}.`, 'quiet', response.results);
      this.files.value = '';
    } catch (e) {
      const results = e instanceof ApiError && Array.isArray(e.problem?.results) ? e.problem.results : [];
      this.showResults(e.message, 'error', results);
    } finally {
      this.uploadButton.disabled = false;
      await this.load();
    }
  }

  showResults(message, kind, results) {
    this.say(this.uploadStatus, message, kind);
    if (results.length === 0) return;
    const list = el('ul', { class: 'upload-results' });
    for (const r of results) {
      const outcome = OUTCOME[r.status] ?? String(r.status).toLowerCase();
      append(list, el('li', { class: `outcome ${outcome}` },
        el('span', { class: 'outcome-badge', text: outcome }),
        el('span', { class: 'file', text: r.source }),
        r.status === 'FAILED'
          ? el('span', { class: 'reason', text: r.reason })
          : el('span', { class: 'reason', text: `${r.chunks} chunk${r.chunks === 1 ? '' : 's'}` })));
    }
    this.uploadStatus.append(list);
  }

  async remove(doc) {
    this.confirmText.textContent = `“${doc.source}” will be removed from the collection “${doc.collection}”, `
      + 'with its passages. Answers will no longer cite it.';
    this.confirm.returnValue = '';
    this.confirm.showModal();
    const choice = await new Promise((resolve) => {
      this.confirm.addEventListener('close', () => resolve(this.confirm.returnValue), { once: true });
    });
    if (choice !== 'delete') return;
    try {
      await deleteDocument(doc.documentId);
      await this.load();
      this.say(this.listStatus, `Deleted ${doc.source} from ${doc.collection}.`, 'quiet');
    } catch (e) {
      this.say(this.listStatus, e.message, 'error');
    }
  }

  say(target, message, kind) {
    clear(target);
    append(target, el('p', { class: `message ${kind}`, text: message }));
  }
}

function when(instant) {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}
