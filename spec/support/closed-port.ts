import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback port nothing listens on: connecting is refused at once, no network needed. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, "127.0.0.1", ok));
  const { port } = probe.address() as AddressInfo;
  await new Promise((ok) => probe.close(ok));
  return port;
}
