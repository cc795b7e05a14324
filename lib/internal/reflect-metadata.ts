/**
 * Copies `Reflect` metadata (the reflect-metadata API) from a function or class that a decorator
 * replaces to its replacement. Other decorators store routes, guards and injection types on the
 * original (NestJS's `@Get`, `@SetMetadata`, `design:paramtypes`); without the copy, whichever
 * runs before `@traced` or `@component` loses what it stored.
 *
 * Only used when someone loaded the API: metadata can only exist if its polyfill is installed,
 * so the SDK does not load one itself (that would change the global `Reflect` for every app).
 */

interface ReflectMetadataApi {
  getOwnMetadataKeys(target: object): unknown[];
  getOwnMetadata(key: unknown, target: object): unknown;
  defineMetadata(key: unknown, value: unknown, target: object): void;
}

function metadataApi(): ReflectMetadataApi | undefined {
  const api = Reflect as unknown as Partial<ReflectMetadataApi>;
  return typeof api.getOwnMetadataKeys === "function" && typeof api.getOwnMetadata === "function" && typeof api.defineMetadata === "function"
    ? (api as ReflectMetadataApi)
    : undefined;
}

/** Defines on `to` every own metadata entry of `from` that `to` does not have itself. Never throws. */
export function copyReflectMetadata(from: object, to: object): void {
  const api = metadataApi();
  if (api === undefined) return;
  try {
    const existing = new Set(api.getOwnMetadataKeys(to));
    for (const key of api.getOwnMetadataKeys(from)) {
      if (!existing.has(key)) api.defineMetadata(key, api.getOwnMetadata(key, from), to);
    }
  } catch {
    // A foreign Reflect polyfill that misbehaves must not stop a class from being declared.
  }
}
