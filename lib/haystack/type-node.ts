/**
 * The parsed form of a socket type tag, shared by the type check (`type-compat.ts`) and the chat
 * conversions it allows (`chat-conversion.ts`), which would otherwise import each other.
 */

/** A parsed type tag. */
export type TypeNode =
  | { readonly kind: "any" }
  | { readonly kind: "none" }
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "list"; readonly item: TypeNode }
  | { readonly kind: "union"; readonly members: readonly TypeNode[] };
