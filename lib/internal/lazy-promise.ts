/**
 * A promise that starts its work only when someone subscribes (`then`/`catch`/`finally`/`await`).
 * An unobserved lazy promise never runs, so it can never reject unhandled.
 */

/**
 * @example
 * const p = new LazyPromise(() => fetchSomething()); // nothing happens yet
 * await p;                                          // now it runs (once)
 */
export class LazyPromise<T> implements Promise<T> {
  private started: Promise<T> | undefined;

  constructor(private readonly start: () => Promise<T>) {}

  get [Symbol.toStringTag](): string {
    return "Promise";
  }

  private run(): Promise<T> {
    if (this.started === undefined) {
      try {
        this.started = this.start();
      } catch (err) {
        this.started = Promise.reject(err);
      }
    }
    return this.started;
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.run().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.run().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.run().finally(onfinally);
  }
}
