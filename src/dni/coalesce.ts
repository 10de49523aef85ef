// Requests that arrive while earlier ones are at the database leave together, as
// one statement for many: a busy process pays for one round trip, one plan and
// one commit per batch instead of per request. A request that finds a lane free
// leaves at once (after the current turn of the event loop, so that requests
// parsed together leave together), so nothing waits when nothing queues.

interface Entry<I, O> {
  readonly input: I;
  resolve(output: O): void;
  reject(err: unknown): void;
}

export interface CoalescerOptions {
  /** Most requests in one batch. */
  readonly maxBatch: number;
  /** Batches at the database at once (each holds a connection while it runs). */
  readonly lanes: number;
}

export class Coalescer<I, O> {
  private queue: Entry<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  /** `send` answers one output per input, in the order of the inputs. */
  constructor(
    private readonly send: (inputs: I[]) => Promise<O[]>,
    private readonly opts: CoalescerOptions,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.lanes || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.opts.lanes && this.queue.length > 0) this.flush(this.queue.splice(0, this.opts.maxBatch));
    });
  }

  private flush(batch: Entry<I, O>[]): void {
    this.inFlight++;
    this.send(batch.map((e) => e.input))
      .then(
        (outputs) => {
          if (outputs.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${outputs.length} answers`);
          batch.forEach((e, i) => e.resolve(outputs[i]!));
        },
        (err: unknown) => {
          for (const e of batch) e.reject(err);
        },
      )
      .catch((err: unknown) => {
        for (const e of batch) e.reject(err);
      })
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
  }
}
