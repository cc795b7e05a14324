/** Sorts the items of every `{'a', 'b'}` in a message: Python prints sets in hash order, which changes per process. */
export function normalizeSets(message: string): string {
  return message.replace(/\{('[^']*'(?:, '[^']*')*)\}/g, (_, body: string) => `{${body.split(", ").sort().join(", ")}}`);
}
