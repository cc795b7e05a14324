/**
 * The environment metadata every trace records (user, source script, git commit, branch and
 * remote). Finding it takes file I/O, which the tracing core never does: the export side
 * registers the provider when the SDK loads, and a trace assembled without one records none.
 */

type EnvironmentMetadataProvider = () => Readonly<Record<string, string>>;

const NONE: Readonly<Record<string, string>> = Object.freeze({});

let provider: EnvironmentMetadataProvider | undefined;

/**
 * Sets where trace assembly gets the environment metadata from. The provider must be cheap after
 * its first call (it runs once per trace) and must not throw.
 *
 * @example
 * setEnvironmentMetadataProvider(envMetadata);
 */
export function setEnvironmentMetadataProvider(next: EnvironmentMetadataProvider | undefined): void {
  provider = next;
}

/** The environment metadata to record in a trace, or none when no provider is registered. */
export function environmentMetadata(): Readonly<Record<string, string>> {
  return provider === undefined ? NONE : provider();
}
