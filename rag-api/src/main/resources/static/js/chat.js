// The conversation: each question streams its answer from POST /api/ask/stream into a new turn; the turns
// stay on the page. One question at a time; Stop aborts the fetch, which makes the server stop generating.
// Each question is sent with the conversation's earlier answered turns, so that a follow-up ("and for part-time
// staff?") is understood; stopped or failed turns are not part of it. New conversation starts afresh.
import { el, append, clear } from './elements.js';
import { ApiError, problemMessage, streamAnswer } from './api.js';
import { renderAnswer, renderSourceList } from './sources.js';

/** Earlier turns sent with a question: the server uses the last few it is configured for (it accepts 20). */
const HISTORY_SENT = 10;
/** The longest earlier answer the server accepts. */
const MAX_ANSWER_CHARS = 4000;

export class Chat {
  /**
   * @param {object} parts the page's elements: form, question, collection, send, stop, conversation, intro,
   *   newConversation
   * @param {import('./sources.js').SourcePanel} panel
   */
  constructor(parts, panel) {
    Object.assign(this, parts);
    this.panel = panel;
    this.controller = null;
    /** Answered turns of this conversation, oldest first: {question, answer}. */
    this.history = [];
    /** Counts conversations, so that an answer finishing after New conversation does not join the new one. */
    this.conversationNumber = 0;
    this.newConversation.addEventListener('click', () => this.reset());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.ask();
    });
    this.question.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.ask();
      }
    });
    this.stop.addEventListener('click', () => this.controller?.abort());
  }

  get busy() {
    return this.controller !== null;
  }

  async ask() {
    if (this.busy) return;
    const question = this.question.value;
    const collection = this.collection.value;
    const turn = new Turn(question, collection, this.panel);
    const conversationNumber = this.conversationNumber;
    const history = this.history.slice(-HISTORY_SENT);
    this.intro.hidden = true;
    this.newConversation.hidden = false;
    this.conversation.append(turn.node);
    turn.node.scrollIntoView({ block: 'end', behavior: 'smooth' });
    this.question.value = '';
    this.setBusy(new AbortController());
    const started = performance.now();
    try {
      await streamAnswer({ question, collection, history }, {
        signal: this.controller.signal,
        onEvent: (name, data) => turn.event(name, data, this.keepInView()),
      });
      if (!turn.finished) turn.fail('The answer stream ended before the answer was complete.');
      const answer = turn.answeredText();
      if (answer && conversationNumber === this.conversationNumber) {
        this.history.push({ question: question.trim(), answer: answer.slice(0, MAX_ANSWER_CHARS) });
      }
    } catch (e) {
      if (e.name === 'AbortError') turn.stopped(performance.now() - started);
      else turn.fail(e instanceof ApiError ? e.message : 'Something went wrong while answering.');
      // A rejected question goes back into the box so it can be corrected.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && !this.question.value) {
        this.question.value = question;
      }
    } finally {
      this.setBusy(null);
      this.question.focus();
    }
  }

  /** Starts a new conversation: stops an answer in progress, clears the page and forgets the history. */
  reset() {
    this.conversationNumber += 1;
    this.controller?.abort();
    this.history = [];
    this.conversation.replaceChildren();
    this.panel.hide();
    this.intro.hidden = false;
    this.newConversation.hidden = true;
    this.question.focus();
  }

  /** Whether the reader is at the bottom, so that growing text should keep scrolling with them. */
  keepInView() {
    const doc = document.scrollingElement || document.documentElement;
    return doc.scrollHeight - doc.scrollTop - doc.clientHeight < 80;
  }

  setBusy(controller) {
    this.controller = controller;
    this.send.hidden = controller !== null;
    this.stop.hidden = controller === null;
    this.form.setAttribute('aria-busy', String(controller !== null));
  }
}

/** One question and its answer, updated as events arrive. */
class Turn {
  constructor(question, collection, panel) {
    this.panel = panel;
    this.finished = false;
    this.raw = '';
    this.finalText = null;
    this.citations = [];
    this.text = el('div', { class: 'answer-text', 'aria-live': 'polite', 'aria-busy': 'true' });
    this.meta = el('div', { class: 'answer-meta' }, el('span', { class: 'pending', text: 'Searching the documents…' }));
    this.status = el('div', { class: 'answer-status' });
    this.card = el('article', { class: 'answer streaming', 'aria-label': 'Answer' },
      this.meta, this.text, this.status);
    const shown = question.trim()
      ? el('p', { class: 'question-text', text: question })
      : el('p', { class: 'question-text empty', text: '(empty question)' });
    this.node = el('li', { class: 'turn' },
      el('div', { class: 'question' },
        el('span', { class: 'visually-hidden', text: 'You asked: ' }), shown,
        collection ? el('span', { class: 'question-collection', text: `in ${collection}` }) : null),
      this.card);
  }

  event(name, data, follow) {
    if (name === 'token') {
      this.raw += data.text ?? '';
      this.text.textContent = this.raw;
    } else if (name === 'answer') {
      this.finalText = data.text ?? '';
    } else if (name === 'citations') {
      this.citations = Array.isArray(data) ? data : [];
    } else if (name === 'done') {
      this.done(data);
    } else if (name === 'error') {
      this.fail(problemMessage(data, data?.status));
    }
    if (follow) this.node.scrollIntoView({ block: 'end' });
  }

  /** The final answer's text as shown, or null when the turn was not answered (stopped, failed). */
  answeredText() {
    return this.answered ? (this.finalText ?? this.raw).trim() || null : null;
  }

  done(summary) {
    if (this.finished) return;
    this.finished = true;
    this.answered = true;
    // The final text is authoritative: markers renumbered to match the citations, dangling ones removed.
    const claims = renderAnswer(this.text, this.finalText ?? this.raw, this.citations, this.panel);
    const sources = renderSourceList(this.citations, this.panel, claims);
    if (sources) this.card.append(sources);
    const timings = summary.timings || {};
    clear(this.meta);
    append(this.meta,
      el('span', { class: 'badge', title: 'Which answerer wrote this answer', text: answererName(summary.answerer) }),
      el('span', {
        class: 'timing',
        title: `retrieval ${ms(timings.retrieveMs)}, answering ${ms(timings.answerMs)}, first text after ${ms(summary.firstTokenMs)}`,
        text: seconds(timings.totalMs),
      }),
      this.citations.length ? el('span', { class: 'count', text: plural(this.citations.length, 'source') }) : null);
    if (summary.danglingMarkers > 0) {
      this.status.textContent = `${plural(summary.danglingMarkers, 'marker')} pointed to no passage and were removed.`;
      this.status.className = 'answer-status note';
    }
    this.settle('done');
  }

  stopped(elapsedMs) {
    this.finished = true;
    clear(this.meta);
    append(this.meta, el('span', { class: 'badge muted', text: 'stopped' }),
      el('span', { class: 'timing', text: `after ${seconds(elapsedMs)}` }));
    if (!this.raw) this.text.textContent = '';
    this.status.className = 'answer-status note';
    this.status.textContent = 'You stopped this answer; the server stopped generating it.';
    this.settle('stopped');
  }

  fail(message) {
    if (this.finished) return;
    this.finished = true;
    clear(this.meta);
    append(this.meta, el('span', { class: 'badge error', text: 'error' }));
    this.status.className = 'answer-status error';
    this.status.setAttribute('role', 'alert');
    this.status.textContent = message;
    this.settle('failed');
  }

  settle(state) {
    this.card.classList.remove('streaming');
    this.card.classList.add(state);
    this.text.setAttribute('aria-busy', 'false');
    if (!this.text.textContent) this.text.hidden = true;
  }
}

function answererName(answerer) {
  if (!answerer) return 'unknown answerer';
  return answerer.startsWith('llm:') ? `LLM · ${answerer.slice(4)}` : answerer;
}

function seconds(millis) {
  if (typeof millis !== 'number' || Number.isNaN(millis)) return '';
  return millis < 1000 ? `${Math.round(millis)} ms` : `${(millis / 1000).toFixed(1)} s`;
}

function ms(millis) {
  return typeof millis === 'number' ? `${Math.round(millis)} ms` : 'n/a';
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
