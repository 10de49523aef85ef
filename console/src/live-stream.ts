// One server-sent events stream (/api/v1/live/events) shared by every part of
// the console that shows live data: opened with the first listener, closed with
// the last, and each event's latest data handed at once to a listener that
// joins later.
type Listener = (data: unknown) => void;

let source: EventSource | null = null;
const listeners = new Map<string, Set<Listener>>();
const latest = new Map<string, unknown>();

function attach(event: string): void {
  source?.addEventListener(event, (e) => {
    const data: unknown = JSON.parse((e as MessageEvent<string>).data);
    latest.set(event, data);
    for (const l of listeners.get(event) ?? []) l(data);
  });
}

/** Calls `listener` with each `event`'s data (the latest one first, if any); returns the unsubscribe. */
export function onLive<T>(event: string, listener: (data: T) => void): () => void {
  const l = listener as Listener;
  if (!listeners.has(event)) {
    listeners.set(event, new Set());
    attach(event);
  }
  listeners.get(event)!.add(l);
  if (!source) {
    source = new EventSource('/api/v1/live/events');
    for (const name of listeners.keys()) attach(name);
  }
  if (latest.has(event)) l(latest.get(event));
  return () => {
    listeners.get(event)?.delete(l);
    if ([...listeners.values()].every((s) => s.size === 0)) {
      source?.close();
      source = null;
      listeners.clear();
      latest.clear();
    }
  };
}
