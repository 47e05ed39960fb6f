// Server-sent events over fetch: EventSource can only GET, /api/ask/stream is a POST.
// Follows the WHATWG "event stream interpretation": lines end in CRLF, LF or CR; "event" and "data" fields;
// one optional space after the colon; comments start with ':'; a blank line dispatches; an event cut off by
// the end of the stream is discarded.

/** Incremental parser: feed it decoded text in any slicing, it calls `onEvent({event, data})` per event. */
export class SseParser {
  /** @param {(e: {event: string, data: string}) => void} onEvent */
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.eventName = '';
    this.dataLines = [];
  }

  /** @param {string} text the next piece of the stream */
  push(text) {
    this.buffer += text;
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) return;
      // A CR at the very end may be the first half of a CRLF split across pieces: wait for more.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) return;
      const width = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + width);
      this.line(line);
    }
  }

  /** The stream ended: a final CR still ends its line; an event without its blank line is discarded. */
  end() {
    if (this.buffer.endsWith('\r')) this.line(this.buffer.slice(0, -1));
    this.buffer = '';
    this.eventName = '';
    this.dataLines = [];
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventName = value;
    else if (field === 'data') this.dataLines.push(value);
  }

  dispatch() {
    const name = this.eventName || 'message';
    const data = this.dataLines;
    this.eventName = '';
    this.dataLines = [];
    if (data.length > 0) this.onEvent({ event: name, data: data.join('\n') });
  }
}

/**
 * Reads a response body as server-sent events until it ends.
 * @param {ReadableStream<Uint8Array>} body
 * @param {(e: {event: string, data: string}) => void} onEvent
 */
export async function readEvents(body, onEvent) {
  const parser = new SseParser(onEvent);
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      parser.end();
      return;
    }
    parser.push(value);
  }
}
