// Batching where calls queue up: the writes of all syncs running in this process go
// through one queue per operation. While a request of an operation is on its way
// (or waiting for the rate limiter), the writes that arrive meanwhile gather and
// leave together as one batch request. A lone write leaves at once, so batching
// costs no latency when nothing queues.
//
// Each write is told its share of the requests it took part in (1/n of a batch of
// n), which the executor records per call.
import type { BatchItem, CrmPort, NewCall, NewContact, NewDeal, NewTask, RecordUpdate } from '../port.ts';
import { CrmProtocolError, isPermanentFailure } from '../port.ts';

/** Called with the requests a write was part of; fractional for batches. */
export type Spend = (requests: number) => void;

interface Entry<I> {
  readonly input: I;
  readonly spend: Spend;
  resolve(id: string): void;
  reject(err: unknown): void;
}

export const MAX_BATCH = 100;

class Coalescer<I> {
  private queue: Entry<I>[] = [];
  private busy = false;

  constructor(private readonly send: (inputs: I[]) => Promise<BatchItem[]>) {}

  submit(input: I, spend: Spend): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ input, spend, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    // One turn of the event loop lets writes submitted together leave together.
    setImmediate(() => {
      void this.flush().finally(() => {
        this.busy = false;
        this.pump();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    let items: BatchItem[];
    try {
      items = await this.send(batch.map((e) => e.input));
      for (const e of batch) e.spend(1 / batch.length);
    } catch (err) {
      for (const e of batch) e.spend(1 / batch.length);
      if (batch.length === 1 || !isPermanentFailure(err)) {
        for (const e of batch) e.reject(err);
        return;
      }
      // A refused batch: send its writes one by one, so only the bad ones fail.
      items = [];
      for (const e of batch) {
        e.spend(1);
        items.push(await this.send([e.input]).then((r) => r[0] ?? { error: missing() }, (error: unknown) => ({ error })));
      }
    }
    batch.forEach((e, i) => {
      const item = items[i] ?? { error: missing() };
      if ('error' in item) e.reject(item.error);
      else e.resolve(item.id);
    });
  }
}

const missing = () => new CrmProtocolError('the CRM answered a batch without one of its records');

/** The port's writes, coalesced across the syncs of this process. */
export interface BatchingWriter {
  createContact(input: NewContact, spend: Spend): Promise<string>;
  createDeal(input: NewDeal, spend: Spend): Promise<string>;
  createCall(input: NewCall, spend: Spend): Promise<string>;
  createTask(input: NewTask, spend: Spend): Promise<string>;
  updateContact(input: RecordUpdate, spend: Spend): Promise<string>;
  updateDeal(input: RecordUpdate, spend: Spend): Promise<string>;
}

export function batchingWriter(port: CrmPort): BatchingWriter {
  const contacts = new Coalescer<NewContact>((i) => port.createContacts(i));
  const deals = new Coalescer<NewDeal>((i) => port.createDeals(i));
  const calls = new Coalescer<NewCall>((i) => port.createCalls(i));
  const tasks = new Coalescer<NewTask>((i) => port.createTasks(i));
  const contactUpdates = new Coalescer<RecordUpdate>((i) => port.updateContacts(i));
  const dealUpdates = new Coalescer<RecordUpdate>((i) => port.updateDeals(i));
  return {
    createContact: (input, spend) => contacts.submit(input, spend),
    createDeal: (input, spend) => deals.submit(input, spend),
    createCall: (input, spend) => calls.submit(input, spend),
    createTask: (input, spend) => tasks.submit(input, spend),
    updateContact: (input, spend) => contactUpdates.submit(input, spend),
    updateDeal: (input, spend) => dealUpdates.submit(input, spend),
  };
}
